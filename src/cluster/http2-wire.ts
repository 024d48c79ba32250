// HTTP/2 to the API server: requests and watches share one connection, followed logs go on
// connections of their own (STREAMS_PER_CONNECTION each, so a stalled one holds few), and a
// connection the server or the network ended is opened again on the next request.
import type {ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders, OutgoingHttpHeaders} from 'node:http2';
import {once} from 'node:events';
import type {TLSSocket} from 'node:tls';

import {StreamConnections} from './stream-connections.js';
import type {RequestWire, TlsConnector, WireRequest, WireResponse} from './wire.js';

/** RST_STREAM code (RFC 9113 §7): a stream that closed with anything else did not end. */
const NO_ERROR = 0;

/** Thrown by session.request when the session closed under us (GOAWAY, a cut): a fresh session may work. */
const SESSION_GONE = new Set(['ERR_HTTP2_INVALID_SESSION', 'ERR_HTTP2_GOAWAY_SESSION']);

export function http2Wire(origin: string, connectTls: TlsConnector, first: TLSSocket, credentials: Record<string, string>): RequestWire {
  const requests = new SessionSlot(origin, connectTls, first);
  const streams = new StreamConnections();
  return {
    async exchange(request: WireRequest): Promise<WireResponse> {
      const lease = request.ownConnection ? streams.lease(new SessionSlot(origin, connectTls)) : undefined;
      const slot = (lease?.dispatcher as SessionSlot | undefined) ?? requests;
      try {
        const length = request.body === undefined ? {} : {'content-length': String(Buffer.byteLength(request.body))};
        const headers = {':method': request.method, ':path': request.url.pathname + request.url.search, ...request.headers, ...length, ...credentials};
        const stream = await slot.request(headers, request.body === undefined, request.signal);
        if (request.body !== undefined) stream.end(request.body);
        const response = await answer(stream);
        return {...response, release: () => lease?.release(), retire: () => lease?.retire()};
      } catch (error) {
        lease?.release();
        throw error;
      }
    },
    async close() {
      requests.destroy();
      await streams.close();
    },
  };
}

/**
 * One HTTP/2 connection, opened when first needed and again after it ended; idle, it does not
 * keep the process alive. Usable as a StreamConnections dispatcher (close, destroy).
 */
class SessionSlot {
  private current?: ClientHttp2Session;
  private opening?: Promise<ClientHttp2Session>;
  private ended = false;
  private readonly active = new WeakMap<ClientHttp2Session, number>();

  constructor(
    private readonly origin: string,
    private readonly connectTls: TlsConnector,
    first?: TLSSocket,
  ) {
    if (first) this.current = this.adopt(first);
  }

  async request(headers: OutgoingHttpHeaders, endStream: boolean, signal: AbortSignal | undefined): Promise<ClientHttp2Stream> {
    for (let attempt = 0; ; attempt++) {
      const session = await abortable(this.session(), signal);
      try {
        const stream = session.request(headers, {endStream, ...(signal ? {signal} : {})});
        // Its reader reports failures; unread, a failing stream must not crash the process.
        stream.on('error', () => {});
        this.active.set(session, (this.active.get(session) ?? 0) + 1);
        session.ref();
        stream.once('close', () => {
          const left = (this.active.get(session) ?? 1) - 1;
          this.active.set(session, left);
          // Idle connections let the process exit; the pool closes them when the command ends.
          if (left === 0 && !session.destroyed) session.unref();
        });
        return stream;
      } catch (error) {
        if (attempt > 0 || !SESSION_GONE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        if (this.current === session) this.current = undefined;
      }
    }
  }

  /** Graceful: streams in flight finish, no new ones start. */
  async close(): Promise<void> {
    this.ended = true;
    this.current?.close();
  }

  async destroy(): Promise<void> {
    this.ended = true;
    this.current?.destroy();
    void this.opening?.then((session) => session.destroy(), () => {});
  }

  private session(): Promise<ClientHttp2Session> {
    const live = this.current;
    if (live && !live.closed && !live.destroyed) return Promise.resolve(live);
    if (this.ended) return Promise.reject(Object.assign(new Error('The connection to the API server was closed.'), {code: 'ECONNRESET'}));
    this.opening ??= this.connectTls(['h2']).then(
      (socket) => {
        this.opening = undefined;
        this.current = this.adopt(socket);
        if (this.ended) this.current.destroy();
        return this.current;
      },
      (error: unknown) => {
        this.opening = undefined;
        throw error;
      },
    );
    return this.opening;
  }

  private adopt(socket: TLSSocket): ClientHttp2Session {
    const {connect} = process.getBuiltinModule('node:http2');
    const session = connect(this.origin, {createConnection: () => socket, settings: {enablePush: false}});
    // A session that fails fails its streams, which report it; nothing more to do here.
    session.on('error', () => {});
    session.unref();
    return session;
  }
}

/** The response headers, then the body: complete only when the stream closed with NO_ERROR. */
function answer(stream: ClientHttp2Stream): Promise<Omit<WireResponse, 'release' | 'retire'>> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('close', () => reject(cutShort(stream)));
    stream.once('response', (raw: IncomingHttpHeaders) => {
      stream.removeListener('error', reject);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(raw)) if (!name.startsWith(':')) headers[name] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
      resolve({status: Number(raw[':status']), headers, text: () => text(stream), stream: () => body(stream)});
    });
  });
}

function text(stream: ClientHttp2Stream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('close', () => (stream.rstCode === NO_ERROR ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(cutShort(stream))));
  });
}

/**
 * The body, read only as fast as it is iterated: the HTTP/2 stream buffers at most its
 * highWaterMark and then stops granting the server flow-control window. Complete only when the
 * stream closed with NO_ERROR: Node ends a stream cut by a lost connection as if it had ended.
 */
async function* body(stream: ClientHttp2Stream): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield chunk as Uint8Array;
  // 'close' (with the code) follows 'end' at once.
  if (!stream.closed) await once(stream, 'close');
  if (stream.rstCode !== NO_ERROR) throw cutShort(stream);
}

/** A stream closed before its response ended: the connection went (a cut, a GOAWAY) or the server reset it. */
function cutShort(stream: ClientHttp2Stream): Error {
  return Object.assign(new Error(`The API server connection ended the response early (HTTP/2 code ${stream.rstCode}).`), {code: 'ECONNRESET'});
}

/** Waits for `promise`, or fails as a request does when `signal` aborts first (a time limit, Ctrl-C). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(abortError(signal));
    signal.addEventListener('abort', aborted, {once: true});
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}

/** As Node's own requests fail on abort: an AbortError whose cause is the signal's reason (a TimeoutError for a time limit). */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', {cause: signal.reason}), {name: 'AbortError', code: 'ABORT_ERR'});
}
