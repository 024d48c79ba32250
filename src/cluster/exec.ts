// `exec` in a pod's container through the API server, over a WebSocket speaking Kubernetes'
// channel protocol (v5.channel.k8s.io, else v4.channel.k8s.io): each message starts with its
// channel — 1 stdout, 2 stderr, 3 the final Status. stdout is passed on as it arrives, no faster
// than the caller's stream takes it (a dump of gigabytes streams to disk in constant memory).
import {GshiftError} from '../errors.js';
import type {ExecOptions, ExecResult, ObjectRef} from './index.js';
import {WebSocket} from './websocket.js';

/** What exec and port-forward need from the connection (KubeCluster implements it). */
export interface StreamAccess {
  upgrade(request: {path: string; query: Array<[string, string]>; protocols: string[]; signal?: AbortSignal}): Promise<{socket: import('node:stream').Duplex; head: Buffer; protocol: string}>;
  failRef(error: unknown, verb: string, ref: ObjectRef): GshiftError;
}

const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
/** The end of stderr kept for the result (a failing dump's message is at its end). */
const STDERR_KEPT = 64 * 1024;

export async function execInPod(access: StreamAccess, namespace: string, pod: string, options: ExecOptions): Promise<ExecResult> {
  const ref = {apiVersion: 'v1', kind: 'Pod', name: pod, namespace};
  const query: Array<[string, string]> = [...options.command.map((part): [string, string] => ['command', part]), ['stdout', 'true'], ['stderr', 'true']];
  if (options.container) query.push(['container', options.container]);
  let upgraded;
  try {
    upgraded = await access.upgrade({path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec`, query, protocols: ['v5.channel.k8s.io', 'v4.channel.k8s.io'], signal: options.signal});
  } catch (error) {
    throw access.failRef(error, 'exec in', ref);
  }
  const {stdout} = options;
  return new Promise<ExecResult>((resolve, reject) => {
    let stderr = Buffer.alloc(0);
    let status = '';
    let failed: unknown;
    const socket = new WebSocket(upgraded.socket, upgraded.head, {
      message(data) {
        const channel = data[0];
        const payload = data.subarray(1);
        if (payload.length === 0) return;
        if (channel === STDOUT) {
          if (!stdout.write(payload)) {
            socket.pause();
            stdout.once('drain', () => socket.resume());
          }
        } else if (channel === STDERR) {
          stderr = Buffer.concat([stderr, payload]);
          if (stderr.length > STDERR_KEPT) stderr = stderr.subarray(stderr.length - STDERR_KEPT);
          options.onStderr?.(payload);
        } else if (channel === STATUS) {
          status += payload.toString('utf8');
        }
      },
      close({error}) {
        options.signal?.removeEventListener('abort', abort);
        stdout.removeListener('error', onOutputError);
        if (failed) return reject(failed);
        if (!status) return reject(access.failRef(error ?? new Error('the exec stream ended without an exit status'), 'exec in', ref));
        try {
          resolve({exitCode: exitCodeOf(status, ref), stderr: stderr.toString('utf8')});
        } catch (statusError) {
          reject(statusError);
        }
      },
    });
    const onOutputError = (error: unknown) => {
      failed = error;
      socket.destroy();
    };
    const abort = () => onOutputError(options.signal?.reason ?? new Error('aborted'));
    stdout.once('error', onOutputError);
    options.signal?.addEventListener('abort', abort, {once: true});
  });
}

/** The exit code from the final Status: 0 on Success, the ExitCode cause on NonZeroExitCode; other failures (no such command, no such container) are errors. */
export function exitCodeOf(text: string, ref: ObjectRef): number {
  let status: {status?: string; reason?: string; message?: string; details?: {causes?: Array<{reason?: string; message?: string}>}};
  try {
    status = JSON.parse(text);
  } catch {
    throw new GshiftError('SERVER', `The exec in pod ${ref.name} ended with a status gshift cannot read.`, {hint: 'run again with --debug and report it.', details: {status: text.slice(0, 500)}});
  }
  if (status.status === 'Success') return 0;
  const code = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (status.reason === 'NonZeroExitCode' && code !== undefined && /^\d+$/.test(code)) return Number(code);
  throw new GshiftError('SERVER', `The exec in pod ${ref.name} failed: ${status.message ?? status.reason ?? 'no reason given'}.`, {
    hint: 'check that the container runs and has the command (kubectl describe pod).',
    details: {pod: ref.name, namespace: ref.namespace, reason: status.reason},
  });
}
