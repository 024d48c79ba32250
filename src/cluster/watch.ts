import type {GshiftError} from '../errors.js';
import {ApiStatusError, type KubeStatus} from './api-errors.js';
import type {ApiResource, KubeObject, ListResult, WatchOptions} from './index.js';
import {resourcePath} from './paths.js';
import {sleep, type HttpRequest, type HttpResponse} from './transport.js';
import {WatchCache, reconnectDelay, type WatchEvent} from './watch-cache.js';

/** What a watch needs from the connection (KubeCluster implements it). */
export interface WatchAccess {
  list(apiVersion: string, kind: string, options: WatchOptions): Promise<ListResult<KubeObject>>;
  sendRaw(request: HttpRequest): Promise<HttpResponse>;
  fail(error: unknown, verb: string, kind: string, namespace?: string): GshiftError;
}

/**
 * Under undici's 300 s body timeout, so the server ends each watch before the client would;
 * randomised like client-go so many watchers do not reconnect in step.
 */
const watchSeconds = () => 240 + Math.floor(Math.random() * 50);

/** Failures worth another try: the network, an overloaded or restarting server. */
const RETRYABLE = new Set(['UNREACHABLE', 'SERVER']);

interface StreamEnd {
  resourceVersion: string;
  /** The server said the resourceVersion is too old (410): only a re-list can continue. */
  expired: boolean;
  /** At least one event or bookmark arrived: the connection was healthy. */
  progressed: boolean;
}

/**
 * An informer in one function: list (ADDED for each object), then watch from the list's
 * resourceVersion; resume after a dropped or server-ended connection; re-list on 410 and
 * emit the difference. Resolves when `options.signal` aborts.
 */
export async function watchResource(access: WatchAccess, resource: ApiResource, apiVersion: string, options: WatchOptions): Promise<void> {
  const {signal} = options;
  const cache = new WatchCache();
  const maxReconnects = options.maxReconnects ?? 10;
  const emit = (events: WatchEvent[]) => events.forEach((event) => options.onEvent(event.type, event.object));

  const relist = async (): Promise<string> => {
    const listed = await access.list(apiVersion, resource.kind, options);
    emit(cache.reconcile(listed.items));
    return listed.resourceVersion;
  };

  let resourceVersion: string;
  try {
    resourceVersion = await relist();
  } catch (error) {
    if (signal?.aborted) return;
    throw access.fail(error, 'watch', resource.kind, options.namespace);
  }
  options.onSynced?.();
  let failures = 0;
  let expired = false;
  while (!signal?.aborted) {
    try {
      if (expired) {
        resourceVersion = await relist();
        expired = false;
      }
      const started = Date.now();
      const end = await streamOnce(access, resource, options, resourceVersion, (event) => {
        cache.record(event);
        options.onEvent(event.type, event.object);
      });
      if (end.progressed) failures = 0;
      // A server that ends watches at once must not be hammered.
      else if (!end.expired && Date.now() - started < 1000) await sleep(1000, signal);
      expired = end.expired;
      resourceVersion = end.resourceVersion;
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof ApiStatusError && error.status === 410) {
        expired = true;
        continue;
      }
      const failure = access.fail(error, 'watch', resource.kind, options.namespace);
      failures++;
      if (!RETRYABLE.has(failure.code) || failures > maxReconnects) throw failure;
      options.onReconnect?.(failures, failure.message);
      await sleep(reconnectDelay(failures), signal);
    }
  }
}

async function streamOnce(
  access: WatchAccess,
  resource: ApiResource,
  options: WatchOptions,
  fromVersion: string,
  onEvent: (event: WatchEvent) => void,
): Promise<StreamEnd> {
  const response = await access.sendRaw({
    method: 'GET',
    path: resourcePath(resource, options.allNamespaces ? undefined : options.namespace),
    query: {
      watch: 1,
      resourceVersion: fromVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: options.serverTimeoutSeconds ?? watchSeconds(),
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    },
    signal: options.signal,
    streaming: true,
  });
  const end: StreamEnd = {resourceVersion: fromVersion, expired: false, progressed: false};
  const stream = response.stream();
  if (!stream) return end;
  for await (const line of lines(stream)) {
    const event = JSON.parse(line) as {type: string; object: KubeObject | KubeStatus};
    if (event.type === 'ERROR') {
      const status = event.object as KubeStatus;
      if (status.code === 410) return {...end, expired: true};
      throw new ApiStatusError(status.code ?? 500, status);
    }
    const object = event.object as KubeObject;
    end.progressed = true;
    if (object.metadata?.resourceVersion) end.resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') onEvent({type: event.type, object});
  }
  return end;
}

/** Newline-delimited text from a byte stream. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, {stream: true});
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield line;
      newline = buffered.indexOf('\n');
    }
  }
  buffered += decoder.decode();
  if (buffered.trim()) yield buffered.trim();
}
