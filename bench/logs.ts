// The logs benchmark: 50 pods × 2,000 sequence-numbered lines followed by gshift, by
// `kubectl logs -f -l … --max-log-requests 50 --prefix` and by stern, on the test cluster.
// Measures throughput, time to first line, peak RSS and lost/doubled lines for each.
//
//   npm run bench -- logs            (or BENCH=logs npm run bench)
//   BENCH_LOG_PODS=50 BENCH_LOG_LINES=2000 BENCH_LOG_REPEAT=1 (runs per tool; rows give medians)
//   BENCH_GSHIFT=/path/to/bin/run.js adds another gshift build beside this one (before/after)
//   BENCH_LOG_TOOLS=gshift,kubectl runs only those
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {appendFileSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {startCluster, stopCluster} from '../test/cluster/cluster.ts';
import {binaryPath} from '../test/cluster/layout.ts';
import {ensureTool} from '../test/cluster/tools.ts';
import {kubectl} from '../test/e2e/support/kubectl.ts';
import {criLogLine, routeNamespaceLogs} from '../test/e2e/support/logs.ts';
import {waitUntil} from '../test/e2e/support/wait.ts';
import {type BenchRow, median, repoRoot} from './measure.ts';

const PODS = Number(process.env.BENCH_LOG_PODS ?? 50);
const LINES = Number(process.env.BENCH_LOG_LINES ?? 2000);
const SELECTOR = 'app.kubernetes.io/instance=web';

const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

export const wanted = () => process.argv.includes('logs') || process.env.BENCH === 'logs';

interface Follower {
  name: string;
  command: string;
  args: (namespace: string) => string[];
}

interface Measured {
  name: string;
  firstLineMs: number;
  linesPerSecond: number;
  peakRssMiB: number;
  lost: number;
  doubled: number;
}

/** The kubelet's (kwok's) side: every pod of the namespace logs from one shared file. */
function writeLines(file: string, tag: string, from: number, to: number): void {
  const chunk: string[] = [];
  for (let seq = from; seq <= to; seq++) chunk.push(criLogLine(`${tag} seq=${seq}`));
  appendFileSync(file, chunk.join(''));
}

function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function measure(follower: Follower, namespace: string, file: string, kubeconfig: string): Promise<Measured> {
  const tag = `${follower.name}-${randomBytes(2).toString('hex')}`;
  writeLines(file, `${tag}-ready`, 0, 0);
  const started = Date.now();
  const child = spawn(follower.command, follower.args(namespace), {env: {...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', CI: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
  let firstLineAt = 0;
  let peak = 0;
  const counts = new Map<string, Map<number, number>>();
  let ready = 0;
  let received = 0;
  let lastLineAt = 0;
  const expected = PODS * LINES;
  let partial = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (!firstLineAt) firstLineAt = Date.now();
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.includes(`${tag}-ready`)) ready++;
      const seq = new RegExp(`${tag} seq=(\\d+)`).exec(line);
      if (!seq) continue;
      if (++received === expected) lastLineAt = Date.now();
      const pod = line.split(/\s+/)[0]!;
      const perPod = counts.get(pod) ?? new Map<number, number>();
      perPod.set(Number(seq[1]), (perPod.get(Number(seq[1])) ?? 0) + 1);
      counts.set(pod, perPod);
    }
  });
  const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid!) || 0)), 100);
  try {
    await waitUntil(() => ready >= PODS, {timeoutMs: 120_000, intervalMs: 20, description: `${follower.name}: the ready line from all ${PODS} pods (got ${ready}; ${stderr})`});
    // Every stream is attached: now the lines, as fast as the files take them.
    const writing = Date.now();
    for (let from = 1; from <= LINES; from += 100) writeLines(file, tag, from, Math.min(from + 99, LINES));
    await waitUntil(() => received >= expected, {timeoutMs: 120_000, intervalMs: 20, description: `${follower.name}: ${expected} lines`}).catch(() => undefined);
    // Doubles arrive late, if at all: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const elapsed = ((lastLineAt || Date.now() - 1000) - writing) / 1000;
    let lost = 0;
    let doubled = 0;
    for (const perPod of counts.values()) {
      for (let seq = 1; seq <= LINES; seq++) {
        const seen = perPod.get(seq) ?? 0;
        if (seen === 0) lost++;
        if (seen > 1) doubled += seen - 1;
      }
    }
    lost += (PODS - counts.size) * LINES;
    peak = Math.max(peak, peakRss(child.pid!) || 0);
    return {name: follower.name, firstLineMs: firstLineAt - started, linesPerSecond: received / elapsed, peakRssMiB: peak, lost, doubled};
  } finally {
    clearInterval(sampler);
    child.kill('SIGKILL');
  }
}

export async function rows(): Promise<BenchRow[]> {
  if (!wanted()) return [];
  const info = startCluster('openshift');
  const namespace = `bench-logs-${randomBytes(3).toString('hex')}`;
  const kubeconfig = info.kubeconfig;
  const stern = ensureTool('stern');
  const followers: Follower[] = [
    // BENCH_NODE_ARGS="--max-semi-space-size=1": node options for the gshift processes (experiments).
    {name: 'gshift', command: process.execPath, args: (ns) => [...nodeArgs, join(repoRoot, 'bin', 'run.js'), 'logs', 'web', '-f', '--tail', '1', '-n', ns]},
    // BENCH_GSHIFT=/path/to/bin/run.js: another build beside this one (before/after a change).
    ...(process.env.BENCH_GSHIFT ? [{name: 'gshift-before', command: process.execPath, args: (ns: string) => [...nodeArgs, process.env.BENCH_GSHIFT!, 'logs', 'web', '-f', '--tail', '1', '-n', ns]}] : []),
    {name: 'kubectl', command: binaryPath('kubectl'), args: (ns) => ['logs', '-f', '-l', SELECTOR, '--max-log-requests', String(PODS), '--prefix', '--tail', '1', '-n', ns]},
    {name: 'stern', command: stern, args: (ns) => ['-l', SELECTOR, '--tail', '1', '--color', 'never', '--max-log-requests', String(PODS), '-n', ns]},
  ];
  try {
    await kubectl(['create', 'namespace', namespace]);
    const file = await routeNamespaceLogs(namespace);
    const labels = {'app.kubernetes.io/instance': 'web', 'gshift.io/app': 'web', 'app.kubernetes.io/managed-by': 'gshift'};
    await kubectl(['apply', '--server-side', '-f', '-'], {
      namespace,
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'web', labels},
        spec: {replicas: PODS, selector: {matchLabels: {'app.kubernetes.io/instance': 'web'}}, template: {metadata: {labels}, spec: {containers: [{name: 'web', image: 'registry.example.org/acme/web:1'}]}}},
      }),
    });
    await waitUntil(async () => Number(JSON.parse(await kubectl(['get', 'deployment', 'web', '-o', 'json'], {namespace})).status?.readyReplicas ?? 0) === PODS, {timeoutMs: 120_000, description: `${PODS} ready pods`});
    // BENCH_LOG_TOOLS=gshift,kubectl: only those.
    const only = process.env.BENCH_LOG_TOOLS?.split(',');
    if (only) followers.splice(0, followers.length, ...followers.filter((follower) => only.includes(follower.name)));
    const results: Measured[] = [];
    // BENCH_LOG_REPEAT=3: each tool that many times, in turn, each row the median.
    const repeat = Number(process.env.BENCH_LOG_REPEAT ?? 1);
    const runs = new Map<string, Measured[]>();
    for (let round = 0; round < repeat; round++) {
      for (const follower of followers) runs.set(follower.name, [...(runs.get(follower.name) ?? []), await measure(follower, namespace, file, kubeconfig)]);
    }
    for (const [name, measured] of runs) {
      const middle = (pick: (run: Measured) => number) => median(measured.map(pick));
      results.push({name, firstLineMs: middle((run) => run.firstLineMs), linesPerSecond: middle((run) => run.linesPerSecond), peakRssMiB: middle((run) => run.peakRssMiB), lost: Math.max(...measured.map((run) => run.lost)), doubled: Math.max(...measured.map((run) => run.doubled))});
      if (repeat > 1) console.error(`logs ${name}: ${measured.map((run) => `${run.linesPerSecond.toFixed(0)} lines/s ${run.peakRssMiB.toFixed(1)} MiB`).join(', ')}`);
    }
    const kubectlResult = results.find((result) => result.name === 'kubectl') ?? results[0]!;
    return results.flatMap((result) => {
      const vs = result.name === 'kubectl' ? {} : {baseline: 'kubectl'};
      return [
        {name: `logs ${result.name}: throughput (${PODS}×${LINES})`, value: result.linesPerSecond, unit: 'lines/s', ...(result.name === 'kubectl' ? {} : {ratio: result.linesPerSecond / kubectlResult.linesPerSecond, ...vs})},
        {name: `logs ${result.name}: time to first line`, value: result.firstLineMs, unit: 'ms', ...(result.name === 'kubectl' ? {} : {ratio: result.firstLineMs / kubectlResult.firstLineMs, ...vs})},
        {name: `logs ${result.name}: peak RSS`, value: result.peakRssMiB, unit: 'MiB', ...(result.name === 'kubectl' ? {} : {ratio: result.peakRssMiB / kubectlResult.peakRssMiB, ...vs})},
        {name: `logs ${result.name}: lost / doubled lines`, value: result.lost, unit: `lost, ${result.doubled} doubled`, target: '0 / 0'},
      ];
    });
  } finally {
    await kubectl(['delete', 'namespace', namespace, '--wait=false']).catch(() => undefined);
    if (!info.reused) stopCluster('openshift');
  }
}
