// The fixed cost of talking to a cluster, measured on the test cluster beside kubectl in the same
// run: `gshift status` against `kubectl version` (time and peak RSS), and `gshift app create
// --wait` into a fresh namespace against `kubectl apply --server-side` of the same manifests plus
// `kubectl rollout status`. Skipped (with a note) when the control plane is not built; set
// BENCH_CLUSTER=0 to skip it.
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {startCluster, stopCluster} from '../test/cluster/cluster.ts';
import {type BenchRow, findKubectl, gshift, median, repoRoot} from './measure.ts';

interface Run {
  ms: number;
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
    ms: median(pairs.map(({s}) => s.ms)),
    baseMs: median(pairs.map(({b}) => b.ms)),
    ratio: median(pairs.map(({s, b}) => s.ms / b.ms)),
    mib: median(pairs.map(({s}) => s.mib)),
    baseMib: median(pairs.map(({b}) => b.mib)),
    cpuMs: median(pairs.map(({s}) => s.cpuMs)),
    baseCpuMs: median(pairs.map(({b}) => b.cpuMs)),
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
    // Both tools wait for kwok's random 0.2-0.9 s pod-ready delay, which dwarfs their difference:
    // 21 pairs by default (BENCH_CREATES), as for db create, so the median ratio is steady.
    const createRuns = Number(process.env.BENCH_CREATES ?? 21);
    const prefix = `bench-${randomBytes(2).toString('hex')}`;
    const namespaces: string[] = [];
    const fresh = () => {
      const name = `${prefix}-${namespaces.length}`;
      namespaces.push(name);
      measured(kubectl, ['create', 'namespace', name], env);
      return name;
    };
    const rendered = spawnSync(process.execPath, [...gshift('app', 'create', 'web', '--stack', 'nodejs', '--dry-run', '--reveal', '-o', 'yaml').args], {env, encoding: 'utf8'}).stdout;
    const create = pairedMeasure(
      () => {
        const namespace = fresh();
        const run = gshift('app', 'create', 'web', '--stack', 'nodejs', '--wait', '-n', namespace);
        return measured(run.command, run.args, env);
      },
      // As a script runs them: one after the other, timed as one. (Timed apart, the pause between
      // the two starts was not counted, while the pod went on getting ready.)
      () => measured('sh', ['-c', '"$0" apply --server-side --field-manager=bench -n "$1" -f - && "$0" rollout status deployment/web -n "$1" --timeout=120s', kubectl, fresh()], env, rendered),
      createRuns,
    );
    rowsOut.push(
      {name: 'gshift app create --wait (fresh namespace)', value: create.ms, unit: 'ms', ratio: create.ratio, baseline: 'kubectl apply + rollout status', target: '≤ 1.0×'},
      {name: 'kubectl apply --server-side + rollout status (reference)', value: create.baseMs, unit: 'ms'},
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
