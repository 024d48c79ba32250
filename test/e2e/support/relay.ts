// A TCP relay on 127.0.0.1 between a client and the test API server, which a test can cut.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, connect as connectTcp, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/**
 * A TCP relay between gshift and the API server that the test can cut: `drop()` closes every
 * connection and refuses new ones until `restore()`; `stall()` freezes the open ones. TLS passes through untouched.
 */
export async function cuttableConnection(kubeconfig: string) {
  const text = readFileSync(kubeconfig, 'utf8');
  const upstream = new URL(/server:\s*(\S+)/.exec(text)![1]!);
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  const relay = (client: Socket) => {
    const server = connectTcp(Number(upstream.port), upstream.hostname);
    const pair: [Socket, Socket] = [client, server];
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server).pipe(client);
  };
  let listener: Server = createServer(relay);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as {port: number}).port;
  const file = join(mkdtempSync(join(tmpdir(), 'gshift-relay-')), 'kubeconfig');
  writeFileSync(file, text.replace(upstream.origin, `https://127.0.0.1:${port}`), {mode: 0o600});
  return {
    kubeconfig: file,
    drop: async () => {
      await new Promise<void>((resolve) => {
        listener.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    /** Existing connections stay open but carry nothing more (a stuck proxy); new ones work. */
    stall: () => {
      for (const [client, server] of pairs) {
        client.unpipe(server);
        server.unpipe(client);
        client.pause();
        server.pause();
      }
      pairs.clear();
    },
    restore: async () => {
      listener = createServer(relay);
      await new Promise<void>((resolve) => listener.listen(port, '127.0.0.1', resolve));
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (listener.listening ? listener.close(() => resolve()) : resolve()));
    },
  };
}
