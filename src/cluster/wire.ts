// The bytes on the wire to the API server, for the credentials most kubeconfigs hold: a bearer
// token (or token file, or a service account), a client certificate, basic auth, the cluster's CA
// or insecure-skip-tls-verify, Impersonate-User. Node's own TLS does this, so a command does not
// pay for loading @kubernetes/client-node (≈0.5 s and 80 MB); exec plugins, auth providers and
// proxies go through client-node instead (client-node-wire.ts).
//
// HTTP/2 when the server offers it (every API server does): requests, watches and followed logs
// share a few connections instead of one each. HTTP/1.1 when ALPN does not select h2 (a proxy in
// front that speaks only HTTP/1.1) and for plain http.
import {readFileSync} from 'node:fs';
import type {Duplex} from 'node:stream';
import type {SecureContext, TLSSocket} from 'node:tls';

import {type GshiftError, usageError} from '../errors.js';
import {http1Wire} from './http1-wire.js';
import {abortable, http2Wire} from './http2-wire.js';
import type {ResolvedKubeconfig} from './kubeconfig.js';

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
  /**
   * The body as it arrives, read only as fast as it is iterated; ending the iteration early
   * (break, return) cancels the request. Node streams or web streams: no web-streams module is
   * loaded for it (≈3 MiB and, on a busy machine, ≈18 ms of CPU).
   */
  stream(): AsyncIterable<Uint8Array> | null;
  /** Frees the stream's place on its connection (ownConnection); a no-op otherwise. */
  release(): void;
  /** The stream stalled: its connection takes no new streams and closes once they ended. */
  retire(): void;
}

/** An HTTP/1.1 upgrade (WebSocket): exec and port-forward. */
export interface UpgradeRequest {
  url: URL;
  /** The upgrade's own headers (Upgrade, Sec-WebSocket-*); the wire adds the credentials. */
  headers: Record<string, string>;
  signal?: AbortSignal;
}

/** The connection after "101 Switching Protocols": the socket, the bytes already read past the answer, its headers. */
export interface Upgraded {
  socket: Duplex;
  head: Buffer;
  headers: Record<string, string>;
}

/** One way of talking to the server with one user's credentials. */
export interface Wire {
  exchange(request: WireRequest): Promise<WireResponse>;
  /** Rejects with ApiStatusError when the server answers anything but 101. */
  upgrade(request: UpgradeRequest): Promise<Upgraded>;
  close(): Promise<void>;
}

/** A wire for requests only: HTTP/2 cannot carry a WebSocket upgrade. */
export type RequestWire = Omit<Wire, 'upgrade'>;

/** The kubeconfig's TLS settings for the API server. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** Opens a verified TLS connection to the API server, offering these ALPN protocols. */
export type TlsConnector = (alpn: string[]) => Promise<TLSSocket>;

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
  const credentials: Record<string, string> = {
    ...(user.token ? {authorization: `Bearer ${user.token}`} : user.username ? {authorization: `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`} : {}),
    ...(user.impersonateUser ? {'impersonate-user': user.impersonateUser} : {}),
  };
  if (plain) return http1Wire(undefined, credentials);
  const tls: TlsMaterial = {
    ca: material(cluster.caData, cluster.caFile, 'certificate-authority'),
    cert: material(user.certData, user.certFile, 'client-certificate'),
    key: material(user.keyData, user.keyFile, 'client-key'),
    rejectUnauthorized: !cluster.skipTLSVerify,
    ...(cluster.tlsServerName ? {servername: cluster.tlsServerName} : {}),
  };
  return negotiatedWire(new URL(cluster.server), tls, credentials);
}

/**
 * The secure context for the kubeconfig's CA and client certificate: the server must be signed by
 * that CA and no other, as with kubectl. Passed as `ca`, Node would first build its whole bundled
 * root store (some 140 certificates: 10-25 ms of every start) only to replace it; made the
 * process's default CA list just before the context is built, the CA is all that is parsed. The
 * context keeps that trust whatever the default becomes later, so every wire does the same. A
 * kubeconfig without a CA trusts Node's own defaults, passed explicitly, so that it never depends
 * on the list a wire left behind. (A process with a native wire makes no other TLS connection:
 * client-node, which may reach an OIDC issuer, has a wire of its own.)
 */
function secureContextFor(tls: TlsMaterial): SecureContext {
  const {createSecureContext, getCACertificates, setDefaultCACertificates} = process.getBuiltinModule('node:tls');
  const fast = typeof setDefaultCACertificates === 'function' && typeof getCACertificates === 'function';
  const certificates = tls.ca?.toString('latin1').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g);
  if (fast && certificates) {
    setDefaultCACertificates(certificates);
    return createSecureContext({cert: tls.cert, key: tls.key});
  }
  if (fast && !tls.ca) return createSecureContext({ca: nodeDefaultCertificates(getCACertificates), cert: tls.cert, key: tls.key});
  return createSecureContext({ca: tls.ca, cert: tls.cert, key: tls.key});
}

/** The CA list Node starts with: its bundled roots, NODE_EXTRA_CA_CERTS, and the system's store when asked for. */
function nodeDefaultCertificates(list: (typeof import('node:tls'))['getCACertificates']): string[] {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const system = flags.includes('--use-system-ca') || flags.includes('--use-openssl-ca') || process.env.NODE_USE_SYSTEM_CA === '1';
  return [...list('bundled'), ...list('extra'), ...(system ? list('system') : [])];
}

/**
 * The first connection offers h2 and http/1.1; what the server picks decides the wire for the
 * whole run. An HTTP/1.1 server costs one extra handshake (the probe's connection is closed).
 */
function negotiatedWire(server: URL, tls: TlsMaterial, credentials: Record<string, string>): Wire {
  const {connect} = process.getBuiltinModule('node:tls');
  const {isIP} = process.getBuiltinModule('node:net');
  // One secure context (CA, client certificate and key) for every connection: building one
  // parses the key material again.
  let context: SecureContext | undefined;
  const secureContext = () => (context ??= secureContextFor(tls));
  const host = server.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(server.port || 443);
  const servername = tls.servername ?? (isIP(host) ? undefined : host);
  // TLS session tickets from earlier connections: later ones resume instead of a full handshake.
  let ticket: Buffer | undefined;
  // Handshakes under way: closing the wire ends them (a server that never answers must not keep the process).
  const handshaking = new Set<TLSSocket>();
  let closed = false;
  const connectTls: TlsConnector = (alpn) =>
    new Promise<TLSSocket>((resolve, reject) => {
      if (closed) return reject(Object.assign(new Error('The connection to the API server was closed.'), {code: 'ECONNRESET'}));
      const socket = connect({secureContext: secureContext(), rejectUnauthorized: tls.rejectUnauthorized, host, port, servername, ALPNProtocols: alpn, session: ticket});
      handshaking.add(socket);
      socket.on('session', (session: Buffer) => (ticket = session));
      socket.once('secureConnect', () => {
        handshaking.delete(socket);
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
      socket.once('close', () => {
        handshaking.delete(socket);
        reject(Object.assign(new Error('The connection to the API server closed during the TLS handshake.'), {code: 'ECONNRESET'}));
      });
    });

  const http1Options = () => ({secureContext: secureContext(), rejectUnauthorized: tls.rejectUnauthorized, ...(tls.servername ? {servername: tls.servername} : {})});
  let chosen: Promise<RequestWire> | undefined;
  const wire = () => {
    if (!chosen) {
      const choosing = connectTls(['h2', 'http/1.1']).then((socket) => {
        if (socket.alpnProtocol === 'h2') return http2Wire(server.origin, connectTls, socket, credentials);
        socket.destroy();
        return http1Wire(http1Options(), credentials);
      });
      // A failed first connection decides nothing: the next request tries again.
      choosing.catch(() => chosen === choosing && (chosen = undefined));
      chosen = choosing;
    }
    return chosen;
  };
  // Every command that connects sends a request: the handshake starts now, while the command
  // still loads and prepares its first request.
  void wire().catch(() => {});
  // A WebSocket upgrade (exec, port-forward) is HTTP/1.1 only: it gets connections of its own,
  // opened when a command first asks for one.
  let upgrades: Wire | undefined;
  return {
    exchange: async (request) => (await abortable(wire(), request.signal)).exchange(request),
    upgrade: (request) => (upgrades ??= http1Wire(http1Options(), credentials)).upgrade(request),
    close: async () => {
      closed = true;
      for (const socket of handshaking) socket.destroy();
      const pending = chosen;
      chosen = undefined;
      await Promise.all([(await pending?.catch(() => undefined))?.close(), upgrades?.close()]);
    },
  };
}

