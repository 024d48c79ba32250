import {IsomorphicFetchHttpLibrary, type KubeConfig, RequestContext} from '@kubernetes/client-node';

import {GshiftError, usageError} from '../errors.js';
import {ApiStatusError, asStatus} from './api-errors.js';
import {StreamConnections, type StreamLease} from './stream-connections.js';

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
   * A long-lived stream (a followed log): sent on the stream connections (StreamConnections),
   * apart from requests and watches; `release()` frees its slot, `retire()` after a stall.
   */
  ownConnection?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers (Warning) arrive joined with ", ". */
  headers: Record<string, string>;
  text(): Promise<string>;
  stream(): ReadableStream<Uint8Array> | null;
  /** Frees the stream's slot on its connection (ownConnection); a no-op otherwise. */
  release(): void;
  /** The stream stalled: its connection takes no new streams and closes once they ended. */
  retire(): void;
}

const MAX_THROTTLE_RETRIES = 3;

/**
 * HTTP to the API server. client-node supplies what is hard — authentication (tokens, client
 * certificates, exec plugins, OIDC), TLS and proxies — and this class the rest: one pooled
 * connection, time limits, throttling retries, and errors that carry the server's Status.
 * (client-node's generated clients hide response headers, so Warning headers would be lost.)
 */
export class Transport {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private dispatcher: ReturnType<RequestContext['getDispatcher']>;
  private readonly streams = new StreamConnections();

  constructor(
    private readonly kubeconfig: KubeConfig,
    readonly server: string,
    private readonly requestTimeout: number,
  ) {}

  /** Sends a request; a non-2xx answer throws ApiStatusError, a failed connection the raw network error. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const {context, lease} = await this.prepare(request);
      const release = () => lease?.release();
      const retire = () => lease?.retire();
      let response;
      try {
        response = await this.http.send(context).toPromise();
      } catch (error) {
        release();
        throw error;
      }
      if (response.httpStatusCode < 400) {
        return {status: response.httpStatusCode, headers: response.headers, text: () => response.body.text(), stream: () => response.body.stream(), release, retire};
      }
      release();
      const body = asStatus(await response.body.text().catch(() => undefined));
      const retryAfter = retryAfterSeconds(response.headers['retry-after']);
      // 429 means the server did not process the request, so any verb may be sent again.
      if (response.httpStatusCode === 429 && attempt < MAX_THROTTLE_RETRIES && !request.signal?.aborted) {
        await sleep(Math.min(retryAfter ?? 2 ** attempt, 10) * 1000, request.signal);
        continue;
      }
      throw new ApiStatusError(response.httpStatusCode, body, retryAfter);
    }
  }

  /** Sends and parses JSON. */
  async json<T>(request: HttpRequest): Promise<{body: T; headers: Record<string, string>; status: number}> {
    const response = await this.send({accept: 'application/json', ...request});
    const text = await response.text();
    return {body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers, status: response.status};
  }

  /** Drops pooled connections so the process can exit at once. */
  async close(): Promise<void> {
    // destroy, not close: close waits for requests in flight, such as a hung TLS handshake.
    const dispatcher = this.dispatcher as {destroy?: () => Promise<void>} | undefined;
    this.dispatcher = undefined;
    await Promise.all([dispatcher?.destroy?.(), this.streams.close()]);
  }

  private async prepare(request: HttpRequest): Promise<{context: RequestContext; lease?: StreamLease}> {
    const url = new URL(this.server + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), request.method);
    context.setHeaderParam('Accept', request.accept ?? 'application/json');
    context.setHeaderParam('User-Agent', 'gshift');
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(request.body);
    }
    const signals = [request.signal, request.streaming ? undefined : AbortSignal.timeout(this.requestTimeout)].filter((signal) => signal !== undefined);
    if (signals.length > 0) context.setSignal(AbortSignal.any(signals));
    return {context, lease: await this.authenticate(context, request.ownConnection ?? false)};
  }

  /**
   * Headers (tokens, exec plugin credentials) are applied to every request, since they may
   * expire; the TLS dispatcher is kept from the first request, because client-node builds a new
   * one — a new TLS handshake — for every call. (A client certificate an exec plugin rotates
   * during one gshift run would be missed; plugins issue them for hours.)
   */
  private async authenticate(context: RequestContext, stream: boolean): Promise<StreamLease | undefined> {
    try {
      await this.kubeconfig.applySecurityAuthentication(context);
    } catch (error) {
      throw credentialError(error, this.kubeconfig);
    }
    const fresh = context.getDispatcher();
    if (stream && fresh !== undefined && fresh !== this.dispatcher) {
      const lease = this.streams.lease(fresh);
      context.setDispatcher(lease.dispatcher as NonNullable<ReturnType<RequestContext['getDispatcher']>>);
      return lease;
    }
    if (this.dispatcher === undefined) this.dispatcher = fresh;
    else if (fresh !== undefined) {
      context.setDispatcher(this.dispatcher);
      void (fresh as {close?: () => Promise<void>}).close?.();
    }
    return undefined;
  }
}

/** Failures while gathering credentials: a missing file, an exec plugin that fails or is not installed. */
function credentialError(error: unknown, kubeconfig: KubeConfig): GshiftError {
  const user = kubeconfig.getCurrentUser();
  const plugin = (user?.exec as {command?: string} | undefined)?.command;
  const failure = error as NodeJS.ErrnoException;
  const reason = (failure?.message ?? String(error)).trim().split('\n')[0]?.slice(0, 200);
  if (plugin && failure?.code === 'ENOENT' && String(failure.syscall ?? '').startsWith('spawn')) {
    return new GshiftError('UNAUTHENTICATED', `The credential plugin "${plugin}" of kubeconfig user "${user?.name}" is not installed or not on PATH.`, {
      hint: `install ${plugin}, or log in again to get a kubeconfig that works on this machine.`,
      cause: error,
    });
  }
  if (failure?.code === 'ENOENT' || failure?.code === 'EACCES') {
    return usageError(`A file named in kubeconfig user "${user?.name}" or its cluster cannot be read: ${failure.path ?? reason}.`, 'fix the path in the kubeconfig, or log in again.');
  }
  if (/HTTP protocol is not allowed/.test(reason ?? '')) {
    return usageError('The cluster address uses plain http, which gshift only accepts with insecure-skip-tls-verify: true.', 'use the https address of the API server.');
  }
  if (plugin) {
    return new GshiftError('UNAUTHENTICATED', `The credential plugin "${plugin}" of kubeconfig user "${user?.name}" failed${reason ? `: ${reason}` : '.'}`, {
      hint: 'log in again (the plugin may need an interactive login first), or pick another context with --context.',
      cause: error,
    });
  }
  return new GshiftError('UNAUTHENTICATED', `The credentials of kubeconfig user "${user?.name}" cannot be used: ${reason}`, {
    hint: 'log in again, or pick another context with --context.',
    cause: error,
  });
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
