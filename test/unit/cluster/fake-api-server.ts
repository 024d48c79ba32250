import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {createSecureServer, type Http2ServerResponse, type ServerHttp2Session} from 'node:http2';
import {createServer, type Server} from 'node:https';
import type {AddressInfo} from 'node:net';
import type {TLSSocket} from 'node:tls';

import {tlsDirectory} from './tls-material.ts';

/** ca.crt, server.crt/.key, client.crt/.key: made at test time (see tls-material.ts). */
const fixture = (name: string) => join(tlsDirectory(), name);
export const fixturePath = fixture;
export const fixtureBase64 = (name: string) => readFileSync(fixture(name)).toString('base64');

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  /** CN of the client certificate, when one was presented. */
  clientCN?: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** What the fake server speaks: HTTP/1.1 only (a server behind an HTTP/1.1 proxy), or HTTP/2 as API servers do. */
export type FakeProtocol = 'http/1.1' | 'h2';
export const PROTOCOLS: FakeProtocol[] = ['http/1.1', 'h2'];

/**
 * A loopback-only HTTPS server standing in for the API server in unit tests: it records what
 * gshift sends (headers, client certificate) and answers from per-route handlers.
 * Unrouted requests get a 404 Status, like the real server's.
 */
export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** The protocol each request came in with ('1.1' or '2.0'). */
  readonly httpVersions: string[] = [];
  private readonly routes = new Map<string, Handler>();
  private server?: Server | ReturnType<typeof createSecureServer>;
  private readonly sessions = new Set<ServerHttp2Session>();

  constructor(readonly protocol: FakeProtocol = 'http/1.1') {}

  get url(): string {
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** `route('GET /version', …)`; the path is matched without the query. */
  route(key: string, handler: Handler): this {
    this.routes.set(key, handler);
    return this;
  }

  json(key: string, status: number, body: unknown, headers: Record<string, string> = {}): this {
    return this.route(key, (_request, response) => {
      response.writeHead(status, {'content-type': 'application/json', ...headers});
      response.end(JSON.stringify(body));
    });
  }

  async start(): Promise<this> {
    const tls = {
      cert: readFileSync(fixture('server.crt')),
      key: readFileSync(fixture('server.key')),
      ca: readFileSync(fixture('ca.crt')),
      requestCert: true,
      rejectUnauthorized: false,
    };
    const handle = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response);
    if (this.protocol === 'h2') {
      const server = createSecureServer({...tls, allowHTTP1: true}, handle as never);
      server.on('session', (session) => {
        this.sessions.add(session);
        session.on('close', () => this.sessions.delete(session));
      });
      this.server = server;
    } else this.server = createServer(tls, handle);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    if ('closeAllConnections' in this.server! && this.protocol === 'http/1.1') this.server.closeAllConnections();
    for (const session of this.sessions) session.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Drops the connection the response goes over, mid-response (for HTTP/2, every stream on it). */
  cut(response: ServerResponse): void {
    const stream = (response as unknown as Http2ServerResponse).stream;
    if (stream) stream.session?.destroy();
    else response.socket?.destroy();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const peer = (request.socket as TLSSocket).getPeerCertificate?.();
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      url,
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      clientCN: peer && 'subject' in peer && peer.subject ? String(peer.subject.CN) : undefined,
    };
    this.requests.push(recorded);
    this.httpVersions.push(request.httpVersion);
    const handler = this.routes.get(`${recorded.method} ${url.pathname}`);
    if (handler) return handler(recorded, response);
    response.writeHead(404, {'content-type': 'application/json'});
    response.end(JSON.stringify(status(404, 'NotFound', 'the server could not find the requested resource')));
  }
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? {details} : {})};
}

/** A kubeconfig for the fake server, trusting its CA, with the given user fields. */
export function kubeconfigFor(server: string, user: Record<string, unknown>, extra: {namespace?: string} = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'fake',
    clusters: [{name: 'fake', cluster: {server, 'certificate-authority-data': fixtureBase64('ca.crt')}}],
    users: [{name: 'tester', user}],
    contexts: [{name: 'fake', context: {cluster: 'fake', user: 'tester', ...(extra.namespace ? {namespace: extra.namespace} : {})}}],
  });
}
