// Container logs on the simulated nodes come from files the tests write. kwok serves them
// to `kubectl logs` (and follows them with -f) through the API server, as a kubelet would.
//
// Convention, under .cluster/logs/:
//   <namespace>/namespace.log             every container of every pod in the namespace
//                                         (set up by newNamespace)
//   <namespace>/<pod>/<container>.log     one container, once routePodLogs() routed the pod
// Lines are in the CRI log format kubelet writes: `<RFC3339Nano time> <stdout|stderr> F <text>`.
import {appendFileSync, mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {logsDir} from '../../cluster/layout.ts';
import {kubectl, type KubectlOptions} from './kubectl.ts';
import {waitUntil} from './wait.ts';

export type LogStream = 'stdout' | 'stderr';

export function namespaceLogFile(namespace: string): string {
  return join(logsDir, namespace, 'namespace.log');
}

export function containerLogFile(namespace: string, pod: string, container: string): string {
  return join(logsDir, namespace, pod, `${container}.log`);
}

/** One line as a container runtime writes it. */
export function criLogLine(text: string, stream: LogStream = 'stdout', time: Date = new Date()): string {
  return `${time.toISOString()} ${stream} F ${text}\n`;
}

/** Appends lines to a log file, as the container would print them. */
export function appendLogLines(file: string, lines: string[], stream: LogStream = 'stdout'): void {
  mkdirSync(dirname(file), {recursive: true});
  appendFileSync(file, lines.map((line) => criLogLine(line, stream)).join(''));
}

/** Makes every container of the namespace's pods log from namespaceLogFile(namespace). */
export async function routeNamespaceLogs(namespace: string, options: Pick<KubectlOptions, 'flavour'> = {}): Promise<string> {
  const file = namespaceLogFile(namespace);
  mkdirSync(dirname(file), {recursive: true});
  writeFileSync(file, '', {flag: 'a'});
  await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
    ...options,
    input: JSON.stringify({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterLogs',
      metadata: {name: clusterLogsName(namespace)},
      spec: {selector: {matchNamespaces: [namespace]}, logs: [{logsFile: file, follow: true}]},
    }),
  });
  return file;
}

export function clusterLogsName(namespace: string): string {
  return `gshift-e2e-${namespace}`;
}

/**
 * Gives each named container of one pod its own log file (containerLogFile) instead of the
 * namespace's. The pod need not exist yet. Returns the files by container name.
 */
export async function routePodLogs(
  namespace: string,
  pod: string,
  containers: string[],
  options: Pick<KubectlOptions, 'flavour'> = {},
): Promise<Record<string, string>> {
  const files = Object.fromEntries(containers.map((container) => [container, containerLogFile(namespace, pod, container)]));
  for (const file of Object.values(files)) {
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, '', {flag: 'a'});
  }
  await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
    ...options,
    namespace,
    input: JSON.stringify({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: {name: pod, namespace},
      spec: {logs: containers.map((container) => ({containers: [container], logsFile: files[container], follow: true}))},
    }),
  });
  return files;
}

/** Waits until `kubectl logs` serves the pod's logs (kwok has picked up the routing). */
export async function waitForLogs(namespace: string, pod: string, options: Pick<KubectlOptions, 'flavour'> & {container?: string} = {}): Promise<void> {
  const args = ['logs', pod, '--tail=1', ...(options.container ? ['-c', options.container] : [])];
  await waitUntil(async () => (await kubectl(args, {...options, namespace}), true), {
    timeoutMs: 30_000,
    description: `logs of ${namespace}/${pod} to be served`,
  });
}
