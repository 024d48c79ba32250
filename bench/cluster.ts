// The fixed cost of talking to a cluster, measured on the test cluster beside kubectl in the same
// run: `gshift status` against `kubectl version` (time and peak RSS), and `gshift app create
// --wait` into a fresh namespace against `kubectl apply --server-side` of the same manifests plus
// `kubectl rollout status`. Skipped (with a note) when the control plane is not built; set
// BENCH_CLUSTER=0 to skip it.
import {spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {startCluster, stopCluster} from '../test/cluster/cluster.ts';
import {type BenchRow, findKubectl, gshift, median, repoRoot} from './measure.ts';

interface Run {
  ms: number;
  /** Where an app create ran (its fresh namespace). */
  namespace?: string;
  mib: number;
  /** User + system CPU: far steadier than wall time on a busy machine. */
  cpuMs: number;
}

/** Wall time (ms), peak RSS (MiB) and CPU time of one run, exactly: getrusage of the children, from Python. */
function measured(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Run {
  const probe = 'import resource,subprocess,sys,time\nt=time.monotonic()\nr=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE,input=sys.stdin.buffer.read())\nd=time.monotonic()-t\nsys.stderr.write(r.stderr.decode(errors="replace")[-2000:] if r.returncode else "")\nu=resource.getrusage(resource.RUSAGE_CHILDREN)\nprint(d*1000, u.ru_maxrss/1024, r.returncode, (u.ru_utime+u.ru_stime)*1000)';
  const result = spawnSync('python3', ['-c', probe, command, ...args], {env, input: input ?? '', encoding: 'utf8'});
  const [ms, mib, status, cpuMs] = result.stdout.trim().split(' ').map(Number) as [number, number, number, number];
  if (result.status !== 0 || status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return {ms, mib, cpuMs};
}

/** The requests (and TLS handshakes) one gshift run sends, from bench/request-trace.ts. */
function gshiftRequests(args: string[], env: NodeJS.ProcessEnv): {requests: number; handshakes: number} {
  const trace = join(mkdtempSync(join(tmpdir(), 'gshift-trace-')), 'trace');
  const run = gshift(...args);
  spawnSync(run.command, ['--import', join(repoRoot, 'bench', 'request-trace.ts'), ...run.args], {env: {...env, BENCH_TRACE: trace}, stdio: 'ignore'});
  const lines = readFileSync(trace, 'utf8').trim().split('\n');
  const handshakes = lines.filter((line) => / TLS /.test(line)).length;
  return {requests: lines.length - handshakes, handshakes};
}

/** The requests one kubectl run sends, from its own -v=6 log. */
function kubectlRequests(kubectl: string, args: string[], env: NodeJS.ProcessEnv, input?: string): number {
  const run = spawnSync(kubectl, [...args, '-v=6'], {env, input: input ?? '', encoding: 'utf8'});
  return run.stderr.split('\n').filter((line) => line.includes('"Response"')).length;
}

function pairedMeasure(subject: () => Run, baseline: () => Run, runs: number) {
  const pairs = Array.from({length: runs}, () => ({b: baseline(), s: subject()}));
  if (process.env.BENCH_PAIRS) for (const {b, s} of pairs) console.error(`pair ${s.ms.toFixed(0)} ${b.ms.toFixed(0)} ${(s.ms / b.ms).toFixed(2)}`);
  return {
    pairs,
    ms: median(pairs.map(({s}) => s.ms)),
    baseMs: median(pairs.map(({b}) => b.ms)),
    ratio: median(pairs.map(({s, b}) => s.ms / b.ms)),
    mib: median(pairs.map(({s}) => s.mib)),
    baseMib: median(pairs.map(({b}) => b.mib)),
    cpuMs: median(pairs.map(({s}) => s.cpuMs)),
    baseCpuMs: median(pairs.map(({b}) => b.cpuMs)),
  };
}

/**
 * Starts bench/rollout-clock.ts on the namespaces named `prefix…`; stop() ends it and gives, per
 * namespace, the ms from its Deployment's appearance to its first ready pod.
 */
async function startRolloutClock(prefix: string, env: NodeJS.ProcessEnv) {
  const file = join(mkdtempSync(join(tmpdir(), 'gshift-clock-')), 'clock');
  const observer = spawn(process.execPath, [join(repoRoot, 'bench', 'rollout-clock.ts'), prefix, file], {env, stdio: ['ignore', 'pipe', 'inherit']});
  await new Promise<void>((ready, failed) => {
    observer.stdout.once('data', () => ready());
    observer.once('exit', (code) => failed(new Error(`bench/rollout-clock.ts exited (${code}) before it watched`)));
  });
  return {
    async stop(): Promise<Map<string, number>> {
      await new Promise((settled) => setTimeout(settled, 300)); // the last run's events
      observer.kill();
      const seen = new Map<string, {deployment?: number; ready?: number}>();
      for (const line of (existsSync(file) ? readFileSync(file, 'utf8') : '').trim().split('\n').filter(Boolean)) {
        const [ms, what, namespace] = line.split(' ') as [string, 'deployment' | 'ready', string];
        seen.set(namespace, {...seen.get(namespace), [what]: Number(ms)});
      }
      const delays = new Map<string, number>();
      for (const [namespace, {deployment, ready}] of seen) if (deployment !== undefined && ready !== undefined) delays.set(namespace, ready - deployment);
      return delays;
    },
  };
}

export async function rows(runs: number): Promise<BenchRow[]> {
  const kubectl = findKubectl();
  if (process.env.BENCH_CLUSTER === '0' || !kubectl) return [{name: 'cluster rows', value: Number.NaN, unit: kubectl ? '(BENCH_CLUSTER=0)' : '(control plane not built: npm run cluster:build)'}];
  const info = startCluster('openshift');
  const env = {...process.env, KUBECONFIG: info.kubeconfig, CI: '1', NO_COLOR: '1'};
  try {
    const status = gshift('status');
    const statusRun = pairedMeasure(() => measured(status.command, status.args, env), () => measured(kubectl, ['version'], env), runs);
    const rowsOut: BenchRow[] = [
      {name: 'gshift status', value: statusRun.ms, unit: 'ms', ratio: statusRun.ratio, baseline: 'kubectl version', target: '≤ 3×'},
      {name: 'gshift status peak RSS', value: statusRun.mib, unit: 'MiB', ratio: statusRun.mib / statusRun.baseMib, baseline: 'kubectl version', target: '≤ 2×'},
      {name: 'kubectl version (reference)', value: statusRun.baseMs, unit: `ms, ${statusRun.baseMib.toFixed(0)} MiB`},
      {name: 'gshift status CPU (user + system)', value: statusRun.cpuMs, unit: 'ms', ratio: statusRun.cpuMs / statusRun.baseCpuMs, baseline: `kubectl version (${statusRun.baseCpuMs.toFixed(0)} ms)`},
    ];

    // app create --wait into a fresh namespace, against kubectl applying what gshift renders.
    // Both tools wait for the pod to start, which neither controls. Elsewhere kwok takes a random
    // 0.2-0.7 s for it, a spread far wider than the tools' difference; in a namespace named
    // fixed-start-… it takes exactly 0.45 s (test/cluster/kwok/pod-stages.yaml), so each pair
    // differs by the tools alone. 21 pairs by default (BENCH_CREATES).
    const createRuns = Number(process.env.BENCH_CREATES ?? 21);
    const prefix = `fixed-start-${randomBytes(2).toString('hex')}`;
    const namespaces: string[] = [];
    const fresh = () => {
      const name = `${prefix}-${namespaces.length}`;
      namespaces.push(name);
      measured(kubectl, ['create', 'namespace', name], env);
      return name;
    };
    const rendered = spawnSync(process.execPath, [...gshift('app', 'create', 'web', '--stack', 'nodejs', '--dry-run', '--reveal', '-o', 'yaml').args], {env, encoding: 'utf8'}).stdout;
    const clock = await startRolloutClock(prefix, env);
    const create = pairedMeasure(
      () => {
        const namespace = fresh();
        const run = gshift('app', 'create', 'web', '--stack', 'nodejs', '--wait', '-n', namespace);
        return {...measured(run.command, run.args, env), namespace};
      },
      // As a script runs them: one after the other, timed as one. (Timed apart, the pause between
      // the two starts was not counted, while the pod went on getting ready.)
      () => {
        const namespace = fresh();
        return {...measured('sh', ['-c', '"$0" apply --server-side --field-manager=bench -n "$1" -f - && "$0" rollout status deployment/web -n "$1" --timeout=120s', kubectl, namespace], env, rendered), namespace};
      },
      createRuns,
    );
    // Each run less the cluster's part (Deployment seen → its pod seen ready: the controllers and
    // kwok): what is left is the tool's own time.
    const delays = await clock.stop();
    const ownPairs = create.pairs.flatMap(({s, b}) => {
      const [sDelay, bDelay] = [delays.get(s.namespace!), delays.get(b.namespace!)];
      return sDelay === undefined || bDelay === undefined ? [] : [{s: s.ms - sDelay, b: b.ms - bDelay}];
    });
    rowsOut.push(
      {name: 'gshift app create --wait (fresh namespace)', value: create.ms, unit: 'ms', ratio: create.ratio, baseline: 'kubectl apply + rollout status', target: '≤ 1.0×'},
      {name: 'kubectl apply --server-side + rollout status (reference)', value: create.baseMs, unit: 'ms'},
      {
        name: 'app create --wait less the pod start-up (own time)',
        value: median(ownPairs.map(({s}) => s)),
        unit: `ms (${ownPairs.length} pairs)`,
        ratio: median(ownPairs.map(({s, b}) => s / b)),
        baseline: `kubectl's own time (${median(ownPairs.map(({b}) => b)).toFixed(0)} ms)`,
      },
      {name: 'gshift app create --wait CPU (user + system)', value: create.cpuMs, unit: 'ms', ratio: create.cpuMs / create.baseCpuMs, baseline: `kubectl apply + rollout status (${create.baseCpuMs.toFixed(0)} ms)`},
    );
    // What each sends: request counts are steadier than times on a busy machine.
    const gshiftCreate = gshiftRequests(['app', 'create', 'web', '--stack', 'nodejs', '--wait', '-n', fresh()], env);
    const kubectlNamespace = fresh();
    const kubectlCreate =
      kubectlRequests(kubectl, ['apply', '--server-side', '--field-manager=bench', '-n', kubectlNamespace, '-f', '-'], env, rendered) +
      kubectlRequests(kubectl, ['rollout', 'status', 'deployment/web', '-n', kubectlNamespace, '--timeout=120s'], env);
    const gshiftStatus = gshiftRequests(['status'], env);
    const kubectlVersion = kubectlRequests(kubectl, ['version'], env);
    rowsOut.push(
      {name: 'gshift app create --wait: requests', value: gshiftCreate.requests, unit: `requests, ${gshiftCreate.handshakes} TLS handshake(s)`, ratio: gshiftCreate.requests / kubectlCreate, baseline: `kubectl apply + rollout status (${kubectlCreate}, 1 handshake each)`},
      {name: 'gshift status: requests', value: gshiftStatus.requests, unit: `requests, ${gshiftStatus.handshakes} TLS handshake(s)`, ratio: gshiftStatus.requests / kubectlVersion, baseline: `kubectl version (${kubectlVersion})`},
    );
    for (const namespace of namespaces) spawnSync(kubectl, ['delete', 'namespace', namespace, '--wait=false'], {env});
    return rowsOut;
  } finally {
    if (!info.reused) stopCluster('openshift');
  }
}
