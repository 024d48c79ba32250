// Running the built gshift CLI against a test namespace, as a CI job would: no terminal, CI=1.
import {spawn} from 'node:child_process';
import {join} from 'node:path';

import {repoRoot, runCli, type CliResult} from '../support/cli.ts';
import {kubectlJson, type TestNamespace} from './support/index.ts';

export type {CliResult} from '../support/cli.ts';

export interface GshiftOptions {
  cwd?: string;
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
}

/** `gshift …` with the namespace's kubeconfig; the arguments choose the namespace. */
export function gshift(ns: Pick<TestNamespace, 'kubeconfig'>, args: string[], options: GshiftOptions = {}): CliResult {
  return runCli(args, {cwd: options.cwd, env: {KUBECONFIG: options.kubeconfig ?? ns.kubeconfig, CI: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: '', ...options.env}});
}

/** The --json envelope of a run, failing with the run's output when stdout is not JSON. */
export function envelope<T = any>(result: CliResult): {ok: boolean; command: string; result: T; warnings: string[]; error?: any} {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.status}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** What a failed run printed, for assertion messages. */
export const output = (result: CliResult) => `exit ${result.status}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;

/** Starts gshift in the background, for tests that interrupt it. */
export function startGshift(ns: Pick<TestNamespace, 'kubeconfig'>, args: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: repoRoot,
    env: {...process.env, KUBECONFIG: ns.kubeconfig, CI: '1', NO_COLOR: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: ''},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({stdout, stderr, status: code ?? (signal ? 128 : -1)})));
  return {child, exited, output: () => ({stdout, stderr})};
}

/** Every object in the namespace gshift could have made, as kind/name (the kube-root-ca ConfigMap left out). */
export async function objectsIn(ns: TestNamespace): Promise<string[]> {
  const list = await kubectlJson<{items: {kind: string; metadata: {name: string}}[]}>(['get', 'deployments,services,configmaps,secrets,persistentvolumeclaims,horizontalpodautoscalers,poddisruptionbudgets,ingresses,routes'], {
    namespace: ns.name,
    kubeconfig: ns.kubeconfig,
  });
  return list.items.map((item) => `${item.kind}/${item.metadata.name}`).filter((name) => name !== 'ConfigMap/kube-root-ca.crt').sort();
}

/** The resourceVersion of each of those objects, to prove that a run wrote nothing. */
export async function versionsIn(ns: TestNamespace): Promise<Record<string, string>> {
  const list = await kubectlJson<{items: {kind: string; metadata: {name: string; resourceVersion: string}}[]}>(['get', 'deployments,services,configmaps,routes,replicasets'], {
    namespace: ns.name,
    kubeconfig: ns.kubeconfig,
  });
  return Object.fromEntries(list.items.map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.resourceVersion]));
}
