// What the `gshift logs` e2e tests share: an app's Deployment made with kubectl (gshift's
// labels, no stack needed), its running pods, per-pod log files, and a followed run of the CLI.
import {spawn, type ChildProcess} from 'node:child_process';
import {join} from 'node:path';

import {repoRoot, type CliResult} from '../support/cli.ts';
import {kubectlJson, routePodLogs, waitForLogs, waitUntil, type TestNamespace} from './support/index.ts';

export interface AppShape {
  replicas?: number;
  containers?: string[];
  annotations?: Record<string, string>;
  /** app.kubernetes.io/component: "database" makes it a database. */
  component?: string;
}

export async function deployApp(ns: TestNamespace, name: string, shape: AppShape = {}): Promise<void> {
  const labels = {'app.kubernetes.io/instance': name, 'gshift.io/app': name, 'app.kubernetes.io/managed-by': 'gshift', ...(shape.component ? {'app.kubernetes.io/component': shape.component} : {})};
  const containers = (shape.containers ?? [name]).map((container) => ({name: container, image: `registry.example.org/acme/${container}:1.0.0`}));
  await ns.kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name, labels},
      spec: {
        replicas: shape.replicas ?? 1,
        selector: {matchLabels: {'app.kubernetes.io/instance': name}},
        template: {metadata: {labels, annotations: shape.annotations}, spec: {containers, terminationGracePeriodSeconds: 0}},
      },
    }),
  });
}

interface PodInfo {
  metadata: {name: string; labels?: Record<string, string>; deletionTimestamp?: string};
  status?: {containerStatuses?: {name: string; restartCount?: number; state?: {running?: unknown}}[]};
}

/** The app's pods once `count` of them run (all containers), sorted by name. */
export async function runningPods(ns: TestNamespace, app: string, count: number, timeoutMs = 60_000): Promise<PodInfo[]> {
  return waitUntil(
    async () => {
      const list = await kubectlJson<{items: PodInfo[]}>(['get', 'pods', '-l', `app.kubernetes.io/instance=${app}`], {namespace: ns.name});
      const running = list.items.filter((pod) => !pod.metadata.deletionTimestamp && (pod.status?.containerStatuses ?? []).length > 0 && pod.status!.containerStatuses!.every((status) => status.state?.running));
      return running.length === count ? running.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) : undefined;
    },
    {timeoutMs, description: `${count} running pods of ${app}`},
  );
}

/** The label gshift prints for a Deployment pod: its name without the ReplicaSet hash. */
export const labelOf = (pod: PodInfo) => pod.metadata.name.replace(`-${pod.metadata.labels?.['pod-template-hash']}-`, '-');

/** Gives each pod's container its own log file; returns the files by pod name. */
export async function routeEachPod(ns: TestNamespace, pods: PodInfo[], container: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const pod of pods) files[pod.metadata.name] = (await routePodLogs(ns.name, pod.metadata.name, [container]))[container]!;
  for (const pod of pods) await waitForLogs(ns.name, pod.metadata.name, {container});
  return files;
}

export interface RunningLogs {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the output satisfies the check (a pattern, or a function of stdout and stderr). */
  waitFor(check: RegExp | ((stdout: string, stderr: string) => boolean), timeoutMs?: number, description?: string): Promise<void>;
  /** Sends the signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
  exited: Promise<CliResult>;
}

/** Starts `gshift logs …` (usually --follow) in the background, without a terminal. */
export function startLogs(ns: TestNamespace, args: string[], options: {kubeconfig?: string; env?: NodeJS.ProcessEnv} = {}): RunningLogs {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'logs', ...args, '-n', ns.name], {
    cwd: repoRoot,
    env: {...process.env, KUBECONFIG: options.kubeconfig ?? ns.kubeconfig, CI: '1', NO_COLOR: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: '', ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({stdout, stderr, status: code ?? (signal ? 128 : -1)})));
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: async (check, timeoutMs = 30_000, description) => {
      const test = typeof check === 'function' ? check : (out: string, err: string) => check.test(out) || check.test(err);
      const deadline = Date.now() + timeoutMs;
      while (!test(stdout, stderr)) {
        if (ended) throw new Error(`gshift logs ended before ${description ?? String(check)}:\n--- stdout ---\n${stdout.slice(-3000)}\n--- stderr ---\n${stderr.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${description ?? String(check)}:\n--- stdout ---\n${stdout.slice(-3000)}\n--- stderr ---\n${stderr.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async (signal = 'SIGINT') => {
      if (!ended) child.kill(signal);
      return exited;
    },
  };
}

/** stdout's `label message` lines, grouped by label. */
export function linesByLabel(stdout: string): Map<string, string[]> {
  const byLabel = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [label, ...rest] = line.split(/ +/);
    byLabel.set(label!, [...(byLabel.get(label!) ?? []), rest.join(' ')]);
  }
  return byLabel;
}

/** `line-<from>` … `line-<to>`. */
export const numbered = (prefix: string, from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => `${prefix}-${from + index}`);
