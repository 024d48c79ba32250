import {ApiStatusError, asStatus} from './api-errors.js';
import {handshakeKey} from './websocket.js';
import type {Upgraded, Wire, WireRequest, WireResponse} from './wire.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path with no query, e.g. /apis/apps/v1/namespaces/x/deployments. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Watches and log streams: no overall time limit. */
  streaming?: boolean;
  /**
   * A long-lived stream (a followed log): kept apart from requests and watches, on connections
   * of its own (see the wires); the response's `release()` frees its place, `retire()` after a
   * stall keeps new streams off its connection.
   */
  ownConnection?: boolean;
}

/** The server's answer: status, lower-case headers (repeated ones joined with ", "), the body. */
export type HttpResponse = WireResponse;

const MAX_THROTTLE_RETRIES = 3;

/**
 * HTTP to the API server over one Wire (Node's https for plain credentials, client-node for exec
 * plugins and auth providers, see wire.ts): pooled connections, time limits, throttling retries,
 * and errors that carry the server's Status. Response headers stay visible (Warning headers).
 */
export class Transport {
  constructor(
    private readonly wire: Wire,
    readonly server: string,
    private readonly requestTimeout: number,
  ) {}

  /** Sends a request; a non-2xx answer throws ApiStatusError, a failed connection the raw network error. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.wire.exchange(this.prepare(request));
      if (response.status < 400) return response;
      response.release();
      const body = asStatus(await response.text().catch(() => undefined));
      const retryAfter = retryAfterSeconds(response.headers['retry-after']);
      // 429 means the server did not process the request, so any verb may be sent again.
      if (response.status === 429 && attempt < MAX_THROTTLE_RETRIES && !request.signal?.aborted) {
        await sleep(Math.min(retryAfter ?? 2 ** attempt, 10) * 1000, request.signal);
        continue;
      }
      throw new ApiStatusError(response.status, body, retryAfter);
    }
  }

  /** Sends and parses JSON. */
  async json<T>(request: HttpRequest): Promise<{body: T; headers: Record<string, string>; status: number}> {
    const response = await this.send({accept: 'application/json', ...request});
    const text = await response.text();
    return {body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers, status: response.status};
  }

  /**
   * A WebSocket upgrade of a GET (exec, port-forward): `query` may repeat a key (command=…),
   * `protocols` are offered in order of preference, and the one the server chose is returned.
   */
  async upgrade(request: {path: string; query: Array<[string, string]>; protocols: string[]; signal?: AbortSignal}): Promise<Upgraded & {protocol: string}> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of request.query) url.searchParams.append(key, value);
    const handshake = handshakeKey();
    const headers = {connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': handshake.key, 'sec-websocket-protocol': request.protocols.join(', '), 'user-agent': 'gshift'};
    const upgraded = await this.wire.upgrade({url, headers, ...(request.signal ? {signal: request.signal} : {})});
    if (!handshake.accept(upgraded.headers['sec-websocket-accept'])) {
      upgraded.socket.destroy();
      throw new Error('the server switched protocols without a valid Sec-WebSocket-Accept');
    }
    return {...upgraded, protocol: upgraded.headers['sec-websocket-protocol'] ?? ''};
  }

  /** Drops pooled connections so the process can exit at once. */
  close(): Promise<void> {
    return this.wire.close();
  }

  private prepare(request: HttpRequest): WireRequest {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {accept: request.accept ?? 'application/json', 'user-agent': 'gshift'};
    if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    const signals = [request.signal, request.streaming ? undefined : AbortSignal.timeout(this.requestTimeout)].filter((signal) => signal !== undefined);
    return {method: request.method, url, headers, body: request.body, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined, ownConnection: request.ownConnection};
  }
}

/** Retry-After in seconds (the API server sends whole seconds, never a date). */
function retryAfterSeconds(header: string | undefined): number | undefined {
  const seconds = header === undefined ? Number.NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, {once: true});
  });
}
