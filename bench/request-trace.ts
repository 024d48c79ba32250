// Preloaded into a gshift process by the bench (`node --import ./bench/request-trace.ts …`):
// appends to $BENCH_TRACE one line per request gshift sends and one per TLS connection it opens,
// over HTTP/1.1 or HTTP/2, with when it started and when its answer came (ms since the process
// started), so a run's requests and round trips can be counted beside kubectl's own (-v=6).
import {appendFileSync} from 'node:fs';
import type {ClientRequest, IncomingMessage} from 'node:http';

const file = process.env.BENCH_TRACE;
const now = () => performance.now().toFixed(0);
const record = (line: string) => file && appendFileSync(file, `${line}\n`);

if (file) {
  for (const name of ['node:http', 'node:https'] as const) {
    const module = process.getBuiltinModule(name) as typeof import('node:https');
    const original = module.request as (...args: unknown[]) => ClientRequest;
    module.request = ((url: URL | string, options: {method?: string}, ...rest: unknown[]) => {
      const target = typeof url === 'string' ? new URL(url) : url;
      const started = now();
      const outgoing = original(url, options, ...rest);
      outgoing.once('response', (response: IncomingMessage) => record(`${started} ${now()} ${response.statusCode} ${options?.method ?? 'GET'} ${target.pathname}${target.search}`));
      return outgoing;
    }) as typeof module.request;
  }
  const tls = process.getBuiltinModule('node:tls');
  const connectTls = tls.connect as (...args: unknown[]) => import('node:tls').TLSSocket;
  tls.connect = ((...args: unknown[]) => {
    const started = now();
    const socket = connectTls(...args);
    socket.once('secureConnect', () => record(`${started} ${now()} TLS ${socket.alpnProtocol || 'http/1.1'}${socket.isSessionReused() ? ' resumed' : ''}`));
    return socket;
  }) as typeof tls.connect;
  const http2 = process.getBuiltinModule('node:http2');
  const connect = http2.connect;
  http2.connect = ((...args: Parameters<typeof connect>) => {
    const session = connect(...args);
    const request = session.request.bind(session);
    session.request = ((headers: import('node:http2').OutgoingHttpHeaders, options?: import('node:http2').ClientSessionRequestOptions) => {
      const started = now();
      const stream = request(headers, options);
      stream.once('response', (answer) => record(`${started} ${now()} ${answer[':status']} ${headers?.[':method'] ?? 'GET'} ${headers?.[':path']}`));
      return stream;
    }) as typeof session.request;
    return session;
  }) as typeof connect;
}
