// The bytes on the wire to the API server, for the credentials most kubeconfigs hold: a bearer
// token (or token file, or a service account), a client certificate, basic auth, the cluster's CA
// or insecure-skip-tls-verify, Impersonate-User. Node's own https does this, pooled with
// keep-alive, so a command does not pay for loading @kubernetes/client-node (≈0.5 s and 80 MB);
// exec plugins, auth providers and proxies go through client-node instead (client-node-wire.ts).
import {readFileSync} from 'node:fs';
import type {IncomingMessage} from 'node:http';
import {Readable} from 'node:stream';

import {type GshiftError, usageError} from '../errors.js';
import type {ResolvedKubeconfig} from './kubeconfig.js';

// Not `import … from 'node:http'`: an ES import of node:http evaluates every export, and one of
// them loads fetch's undici (≈7 ms of start-up) that gshift never uses.
const {Agent: HttpAgent, request: httpRequest} = process.getBuiltinModule('node:http');
const {Agent: HttpsAgent, request: httpsRequest} = process.getBuiltinModule('node:https');
const {createSecureContext} = process.getBuiltinModule('node:tls');

export interface WireRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A long-lived stream that must not share a connection with requests (a followed log). */
  ownConnection?: boolean;
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers (Warning) joined with ", ". */
  headers: Record<string, string>;
  text(): Promise<string>;
  stream(): ReadableStream<Uint8Array> | null;
  /** Frees the stream's place on its connection (ownConnection); a no-op otherwise. */
  release(): void;
  /** The stream stalled: its connection takes no new streams and closes once they ended. */
  retire(): void;
}

/** One way of talking to the server with one user's credentials. */
export interface Wire {
  exchange(request: WireRequest): Promise<WireResponse>;
  close(): Promise<void>;
}

/** Credentials only client-node can produce (it runs plugins, refreshes OIDC tokens, tunnels proxies). */
export function needsClientNode(resolved: ResolvedKubeconfig): boolean {
  return Boolean(resolved.user.exec || resolved.user.authProvider || resolved.cluster.proxyUrl);
}

/** gshift, like client-node, speaks plain http to a server only when the kubeconfig skips TLS verification. */
export function plainHttpRefused(): GshiftError {
  return usageError('The cluster address uses plain http, which gshift only accepts with insecure-skip-tls-verify: true.', 'use the https address of the API server.');
}

export function nativeWire(resolved: ResolvedKubeconfig): Wire {
  const {cluster, user} = resolved;
  const plain = cluster.server.startsWith('http://');
  if (plain && !cluster.skipTLSVerify) throw plainHttpRefused();
  const material = (data: string | undefined, file: string | undefined, what: string) => {
    if (data) return Buffer.from(data, 'base64');
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw usageError(`The ${what} file ${file} named in kubeconfig user "${user.name}" or its cluster cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'fix the path in the kubeconfig, or log in again.');
    }
  };
  // One TLS context (CA, client certificate and key) for every connection: made per connection,
  // it costs milliseconds of CPU each, and a command running many requests at once opens many.
  const agent = plain
    ? new HttpAgent({keepAlive: true})
    : new HttpsAgent({
        keepAlive: true,
        secureContext: createSecureContext({
          ca: material(cluster.caData, cluster.caFile, 'certificate-authority'),
          cert: material(user.certData, user.certFile, 'client-certificate'),
          key: material(user.keyData, user.keyFile, 'client-key'),
        }),
        rejectUnauthorized: !cluster.skipTLSVerify,
        ...(cluster.tlsServerName ? {servername: cluster.tlsServerName} : {}),
      });
  const credentials: Record<string, string> = {
    ...(user.token ? {authorization: `Bearer ${user.token}`} : user.username ? {authorization: `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`} : {}),
    ...(user.impersonateUser ? {'impersonate-user': user.impersonateUser} : {}),
  };
  const send = plain ? httpRequest : httpsRequest;
  const exchange = (request: WireRequest) =>
    new Promise<WireResponse>((resolve, reject) => {
      // A known length, not chunked: the server can skip an unread body (a DELETE answered 404)
      // and keep the connection usable for the next request.
      const length = request.body === undefined ? {} : {'content-length': String(Buffer.byteLength(request.body))};
      const outgoing = send(request.url, {method: request.method, agent, headers: {...request.headers, ...length, ...credentials}, signal: request.signal}, (response) => resolve(wireResponse(response)));
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  // The first request goes alone: its full TLS handshake gives the agent a session that the
  // connections opened next resume (a handshake costs more than a loopback round trip; parallel
  // first requests would each pay it in full).
  let first: Promise<unknown> | undefined;
  return {
    exchange(request) {
      if (first) return first.then(() => exchange(request), () => exchange(request));
      const response = exchange(request);
      first = response.catch(() => undefined);
      return response;
    },
    close: async () => agent.destroy(),
  };
}

function wireResponse(response: IncomingMessage): WireResponse {
  const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
  return {
    status: response.statusCode ?? 0,
    headers,
    text: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stream: () => Readable.toWeb(response) as ReadableStream<Uint8Array>,
    // HTTP/1.1: a stream has its socket to itself while it lasts, and an aborted one is destroyed.
    release: () => {},
    retire: () => {},
  };
}
