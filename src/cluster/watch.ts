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
  /** Whether the server streams a watch's initial state (WatchList); false once it refused, for the rest of the run. */
  watchList: {refused?: boolean};
}

/** The bookmark that ends a watch's initial events (sendInitialEvents). */
const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

/** How a server that does not stream initial events refuses to (feature off, or too old for the parameters). */
const WATCH_LIST_REFUSED = new Set([400, 422, 500, 501]);

/**
 * Under undici's 300 s body timeout, so the server ends each watch before the client would;
 * randomised like client-go so many watchers do not reconnect in step.
 */
const watchSeconds = () => 240 + Math.floor(Math.random() * 50);

/** Failures worth another try: the network, an overloaded or restarting server. */
const RETRYABLE = new Set(['UNREACHABLE', 'SERVER']);

/** Where the next watch request starts: undefined for the current state first (a first sync, or after 410). */
interface Cursor {
  resourceVersion?: string;
}

interface StreamEnd {
  /** The server said the resourceVersion is too old (410): only a new sync can continue. */
  expired: boolean;
  /** At least one event or bookmark arrived: the connection was healthy. */
  progressed: boolean;
}

/**
 * An informer in one function: the current objects (ADDED for each), then every change; resume
 * after a dropped or server-ended connection; sync again on 410 and emit the difference. One
 * request does both where the server streams a watch's initial state (WatchList, on by default
 * since Kubernetes 1.32); elsewhere a list, then a watch from its resourceVersion. Resolves when
 * `options.signal` aborts.
 */
export async function watchResource(access: WatchAccess, resource: ApiResource, apiVersion: string, options: WatchOptions): Promise<void> {
  const {signal} = options;
  const cache = new WatchCache();
  const maxReconnects = options.maxReconnects ?? 10;
  const emit = (events: WatchEvent[]) => events.forEach((event) => options.onEvent(event.type, event.object));
  let synced = false;
  const sync = (items: KubeObject[]) => {
    emit(cache.reconcile(items));
    if (!synced) options.onSynced?.();
    synced = true;
  };
  const live = (event: WatchEvent) => {
    cache.record(event);
    options.onEvent(event.type, event.object);
  };

  // Moved on by each event, so a dropped connection resumes after the last one seen.
  const cursor: Cursor = {};
  let failures = 0;
  while (!signal?.aborted) {
    try {
      if (cursor.resourceVersion === undefined && access.watchList.refused) {
        const listed = await access.list(apiVersion, resource.kind, options);
        sync(listed.items);
        cursor.resourceVersion = listed.resourceVersion;
      }
      const started = Date.now();
      const end = await streamOnce(access, resource, options, cursor, sync, live);
      if (end.progressed) failures = 0;
      // A server that ends watches at once must not be hammered.
      else if (!end.expired && Date.now() - started < 1000) await sleep(1000, signal);
      if (end.expired) cursor.resourceVersion = undefined;
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof ApiStatusError && error.status === 410) {
        cursor.resourceVersion = undefined;
        continue;
      }
      if (cursor.resourceVersion === undefined && !access.watchList.refused && error instanceof ApiStatusError && WATCH_LIST_REFUSED.has(error.status)) {
        access.watchList.refused = true;
        continue;
      }
      const failure = access.fail(error, 'watch', resource.kind, options.namespace);
      // Until the first sync, as for a list: report at once (a retry will not grant access).
      failures++;
      if (!synced || !RETRYABLE.has(failure.code) || failures > maxReconnects) throw failure;
      options.onReconnect?.(failures, failure.message);
      await sleep(reconnectDelay(failures), signal);
    }
  }
}

/**
 * One watch request, from the cursor's resourceVersion, or (none) with the current state first:
 * the initial objects are gathered until the server's end-of-initial-events bookmark, then
 * handed to `sync` at once, so a re-sync after 410 emits only the difference.
 */
async function streamOnce(
  access: WatchAccess,
  resource: ApiResource,
  options: WatchOptions,
  cursor: Cursor,
  sync: (items: KubeObject[]) => void,
  onEvent: (event: WatchEvent) => void,
): Promise<StreamEnd> {
  const fromVersion = cursor.resourceVersion;
  const initial: KubeObject[] | undefined = fromVersion === undefined ? [] : undefined;
  const response = await access.sendRaw({
    method: 'GET',
    path: resourcePath(resource, options.allNamespaces ? undefined : options.namespace),
    query: {
      watch: 1,
      ...(initial ? {sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan'} : {resourceVersion: fromVersion}),
      allowWatchBookmarks: true,
      timeoutSeconds: options.serverTimeoutSeconds ?? watchSeconds(),
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    },
    signal: options.signal,
    streaming: true,
  });
  let initialEnded = initial === undefined;
  const end: StreamEnd = {expired: false, progressed: false};
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
    if (!initialEnded) {
      if (event.type === 'ADDED') initial!.push(object);
      else if (event.type === 'BOOKMARK' && object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
        initialEnded = true;
        cursor.resourceVersion = object.metadata.resourceVersion;
        sync(initial!);
      }
      continue;
    }
    if (object.metadata?.resourceVersion) cursor.resourceVersion = object.metadata.resourceVersion;
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') onEvent({type: event.type, object});
  }
  return end;
}

/** Newline-delimited text from a byte stream. */
export async function* lines(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of stream) {
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
