import {once} from 'node:events';

import type {GshiftError} from '../errors.js';
import {LOG_STALLED, type LogOptions, type ObjectRef} from './index.js';
import {LogResume} from './log-resume.js';
import {sleep, type HttpRequest, type HttpResponse} from './transport.js';
import {reconnectDelay} from './watch-cache.js';

/** What log reading needs from the connection (KubeCluster implements it). */
export interface LogAccess {
  sendRaw(request: HttpRequest): Promise<HttpResponse>;
  failRef(error: unknown, verb: string, ref: ObjectRef): GshiftError;
}

const MAX_RESUMES = 5;

function logRequest(namespace: string, pod: string, container: string | undefined, options: LogOptions, sinceTime?: string): HttpRequest {
  return {
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
    accept: '*/*',
    query: {
      container,
      follow: options.follow || undefined,
      previous: options.previous || undefined,
      timestamps: options.follow ? true : options.timestamps || undefined,
      limitBytes: options.limitBytes,
      ...(sinceTime ? {sinceTime} : {tailLines: options.tailLines, sinceSeconds: options.sinceSeconds, sinceTime: options.sinceTime}),
    },
  };
}

/** The whole log (not followed) as text. */
export async function readLogs(access: LogAccess, namespace: string, pod: string, container: string | undefined, options: LogOptions = {}): Promise<string> {
  const ref = {apiVersion: 'v1', kind: 'Pod', name: pod, namespace};
  try {
    const response = await access.sendRaw({...logRequest(namespace, pod, container, {...options, follow: false}), signal: options.signal});
    return await response.text();
  } catch (error) {
    throw access.failRef(error, 'read the logs of', ref);
  }
}

/**
 * Copies a log to `out`, respecting back-pressure. Ends when the log ends (the container
 * stopped, or no --follow), when `signal` aborts, or when `out` fails (EPIPE from `| head`).
 * A followed log that loses its connection resumes where it stopped (see LogResume).
 */
export async function streamLogs(
  access: LogAccess,
  namespace: string,
  pod: string,
  container: string | undefined,
  options: LogOptions,
  out: NodeJS.WritableStream,
): Promise<void> {
  const ref = {apiVersion: 'v1', kind: 'Pod', name: pod, namespace};
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop, {once: true});
  out.once('error', stop);
  const resume = new LogResume(options.timestamps ?? false);
  let failures = 0;
  try {
    for (let sinceTime: string | undefined; ; ) {
      try {
        const response = await access.sendRaw({...logRequest(namespace, pod, container, options, sinceTime), signal: controller.signal, streaming: true});
        const stream = response.stream();
        if (!stream) return;
        const decoder = new TextDecoder();
        for await (const chunk of stream) {
          failures = 0;
          const text = options.follow ? resume.push(decoder.decode(chunk, {stream: true})) : chunk;
          if (text.length > 0 && !out.write(text)) await once(out, 'drain', {signal: controller.signal});
        }
        const rest = options.follow ? resume.flush() : '';
        if (rest) out.write(rest);
        return;
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure = access.failRef(error, 'read the logs of', ref);
        if (!options.follow || !['UNREACHABLE', 'SERVER'].includes(failure.code) || ++failures > MAX_RESUMES) throw failure;
        await sleep(reconnectDelay(failures), controller.signal);
        sinceTime = resume.resume() ?? sinceTime;
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    out.removeListener('error', stop);
  }
}

/** Longer lines are passed on in pieces, so one stream never holds more than this. */
const MAX_LINE = 1 << 20;

/** One log request, the lines of each piece the server sends at once (see Cluster.logLines). */
export async function* logLines(access: LogAccess, namespace: string, pod: string, container: string, options: LogOptions): AsyncGenerator<string[]> {
  const ref = {apiVersion: 'v1', kind: 'Pod', name: pod, namespace};
  const signal = options.signal;
  let response: HttpResponse | undefined;
  try {
    response = await access.sendRaw({...logRequest(namespace, pod, container, options), signal, streaming: true, ownConnection: true});
    options.onConnected?.();
    const body = response.stream();
    if (!body) return;
    const decoder = new TextDecoder();
    let partial = '';
    // Leaving the loop early (the caller stopped reading lines) cancels the request.
    for await (const value of body) {
      partial += decoder.decode(value, {stream: true});
      // A batch per piece, not a promise per line: following 50 pods, that is most of the CPU.
      const lines: string[] = [];
      let start = 0;
      for (let newline = partial.indexOf('\n'); newline >= 0; newline = partial.indexOf('\n', start)) {
        lines.push(partial.slice(start, newline));
        start = newline + 1;
      }
      partial = partial.slice(start);
      while (partial.length > MAX_LINE) {
        lines.push(partial.slice(0, MAX_LINE));
        partial = partial.slice(MAX_LINE);
      }
      if (lines.length > 0) yield lines;
    }
    partial += decoder.decode();
    if (partial) yield [partial];
  } catch (error) {
    if (signal?.aborted) {
      // Stopped because no data came: whatever else shares that connection must not wait on it.
      if (signal.reason === LOG_STALLED) response?.retire();
      return;
    }
    throw access.failRef(error, 'read the logs of', ref);
  } finally {
    response?.release();
  }
}
