// kubectl, built with the control plane, run against a test cluster.
import {spawn} from 'node:child_process';
import {binaryPath} from '../../cluster/layout.ts';
import {kubeconfigFor, type Flavour} from './cluster.ts';

export type KubectlOptions = {
  /** Written to kubectl's standard input (for `apply -f -`). */
  input?: string;
  /** Adds `--namespace`. */
  namespace?: string;
  /** Defaults to the default test cluster. */
  flavour?: Flavour;
  kubeconfig?: string;
  timeoutMs?: number;
};

export type KubectlResult = {code: number; stdout: string; stderr: string};

export class KubectlError extends Error {
  readonly result: KubectlResult;
  constructor(args: string[], result: KubectlResult) {
    super(`kubectl ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'KubectlError';
    this.result = result;
  }
}

let kubectlBinary: string | undefined;

/** The path of the kubectl binary from the control-plane cache. */
export function kubectlPath(): string {
  kubectlBinary ??= binaryPath('kubectl');
  return kubectlBinary;
}

function fullArgs(args: string[], options: KubectlOptions): string[] {
  const kubeconfig = options.kubeconfig ?? kubeconfigFor(options.flavour);
  return ['--kubeconfig', kubeconfig, ...(options.namespace ? ['--namespace', options.namespace] : []), ...args];
}

/** Runs kubectl and resolves with its exit code and output, whatever the exit code. */
export function kubectlResult(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlPath(), fullArgs(args, options), {stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({code: code ?? (signal ? 128 : -1), stdout, stderr});
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs kubectl and resolves with its standard output; rejects with a KubectlError on failure. */
export async function kubectl(args: string[], options: KubectlOptions = {}): Promise<string> {
  const result = await kubectlResult(args, options);
  if (result.code !== 0) throw new KubectlError(args, result);
  return result.stdout;
}

/** `kubectl get ... -o json`, parsed. */
export async function kubectlJson<T = any>(args: string[], options: KubectlOptions = {}): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'], options)) as T;
}

export type KubectlStream = {
  /** Everything the command has printed to standard output so far. */
  readonly output: () => string;
  /** Resolves once standard output contains the text (or matches the pattern). */
  waitFor: (expected: string | RegExp, timeoutMs?: number) => Promise<void>;
  /** Stops the command. */
  stop: () => Promise<void>;
};

/** Starts a long-running kubectl (`logs -f`, `get -w`) and lets the test watch its output. */
export function kubectlStream(args: string[], options: KubectlOptions = {}): KubectlStream {
  const child = spawn(kubectlPath(), fullArgs(args, options), {stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((waiter) => waiter());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<void>((resolve) => child.on('close', () => {
    exited = true;
    notify();
    resolve();
  }));
  const matches = (expected: string | RegExp) => (typeof expected === 'string' ? stdout.includes(expected) : expected.test(stdout));
  return {
    output: () => stdout,
    waitFor: (expected, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (matches(expected)) {
            finish();
            resolve();
          } else if (exited) {
            finish();
            reject(new Error(`kubectl ${args.join(' ')} ended before printing ${expected}; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out after ${timeoutMs}ms waiting for ${expected} from kubectl ${args.join(' ')}; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await closed;
    },
  };
}
