// HTTP/1.1 with keep-alive, for plain-http servers and for API servers behind proxies that do
// not negotiate HTTP/2: a followed log has its socket to itself while it lasts.
import type {Agent, ClientRequest, IncomingMessage, RequestOptions} from 'node:http';
import type {Duplex} from 'node:stream';
import type {AgentOptions} from 'node:https';

import {ApiStatusError, asStatus} from './api-errors.js';
import type {Upgraded, Wire, WireRequest, WireResponse} from './wire.js';

/** `tls` undefined: plain http. Otherwise the https agent's TLS options (the secure context, verification, server name). */
export function http1Wire(tls: AgentOptions | undefined, credentials: Record<string, string>): Wire {
  // Loaded only when the server does not speak HTTP/2; and not by an ES import of node:http, which
  // evaluates every export, one of which loads fetch's undici (≈7 ms of start-up) that gshift never uses.
  const {Agent: HttpAgent, request: httpRequest} = process.getBuiltinModule('node:http');
  const {Agent: HttpsAgent, request: httpsRequest} = process.getBuiltinModule('node:https');
  const agent: Agent = tls ? new HttpsAgent({keepAlive: true, ...tls}) : new HttpAgent({keepAlive: true});
  const send = tls ? httpsRequest : httpRequest;
  const exchange = (request: WireRequest) =>
    new Promise<WireResponse>((resolve, reject) => {
      // A known length, not chunked: the server can skip an unread body (a DELETE answered 404)
      // and keep the connection usable for the next request.
      const length = request.body === undefined ? {} : {'content-length': String(Buffer.byteLength(request.body))};
      const options: RequestOptions = {method: request.method, agent, headers: {...request.headers, ...length, ...credentials}, signal: request.signal};
      const outgoing = send(request.url, options, (response) => resolve(wireResponse(response)));
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
    upgrade: (request) => awaitUpgrade(send(request.url, {method: 'GET', agent, headers: {...request.headers, ...credentials}, signal: request.signal})),
    close: async () => agent.destroy(),
  };
}

function wireResponse(response: IncomingMessage): WireResponse {
  return {
    status: response.statusCode ?? 0,
    headers: headersOf(response),
    text: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    // An answer cut short fails its iteration (ECONNRESET, "aborted").
    stream: () => response,
    // A stream has its socket to itself while it lasts, and an aborted one is destroyed.
    release: () => {},
    retire: () => {},
  };
}

/** The answer to an upgrade request: the socket on 101, an ApiStatusError (with the server's Status) otherwise. */
export function awaitUpgrade(outgoing: ClientRequest): Promise<Upgraded> {
  return new Promise((resolve, reject) => {
    outgoing.on('upgrade', (response: IncomingMessage, socket: Duplex, head: Buffer) => resolve({socket, head, headers: headersOf(response)}));
    outgoing.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        reject(new ApiStatusError(response.statusCode ?? 0, asStatus(body) ?? {message: body.trim().slice(0, 300)}));
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Lower-case header names; repeated headers (Warning) joined with ", ". */
export function headersOf(response: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
}
