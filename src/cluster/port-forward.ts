// Port-forward to a pod through the API server: a local listener whose every connection is one
// WebSocket to pods/NAME/portforward (v4.channel.k8s.io: channel 0 carries the data, channel 1
// the kubelet's error text, each starting with the port as two little-endian bytes). This is the
// WebSocket protocol kubelets have always served and the API server passes through to them; it
// needs no SPDY. Both directions respect back-pressure.
import {createServer, type Socket} from 'node:net';
import type {Duplex} from 'node:stream';

import {GshiftError} from '../errors.js';
import type {StreamAccess} from './exec.js';
import type {PortForwardOptions, PortForwardTunnel} from './index.js';
import {WebSocket} from './websocket.js';

const DATA = 0;
const ERROR = 1;

export async function forwardPort(access: StreamAccess, namespace: string, pod: string, port: number, options: PortForwardOptions = {}): Promise<PortForwardTunnel> {
  const ref = {apiVersion: 'v1', kind: 'Pod', name: pod, namespace};
  const open = async (signal?: AbortSignal) => {
    try {
      return await access.upgrade({
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`,
        query: [['ports', String(port)]],
        protocols: ['v4.channel.k8s.io'],
        ...(signal ? {signal} : {}),
      });
    } catch (error) {
      throw access.failRef(error, 'port-forward to', ref);
    }
  };
  // One connection first, so that a pod that cannot be forwarded to (missing, not running, no
  // permission) is an error now rather than a client's puzzling EOF later.
  (await open(options.signal)).socket.destroy();

  const sockets = new Set<Socket>();
  const server = createServer((local) => {
    sockets.add(local);
    local.on('close', () => sockets.delete(local));
    local.pause();
    open().then(
      (upgraded) => tunnel(local, upgraded, (message) => options.onError?.(connectionError(message, ref))),
      (error: unknown) => {
        options.onError?.(error as GshiftError);
        local.destroy();
      },
    );
  });
  const address = options.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new GshiftError('USAGE', `Port ${options.localPort} on ${address} is in use.`, {hint: 'pass another --port, or leave it out to get a free one.'}) : error),
    );
    server.listen(options.localPort ?? 0, address, () => resolve());
  });
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) server.close();
    await closed;
  };
  options.signal?.addEventListener('abort', () => void close(), {once: true});
  return {address, port: (server.address() as {port: number}).port, closed, close};
}

/** Copies bytes both ways between the local connection and the WebSocket until either ends. */
function tunnel(local: Socket, upgraded: {socket: Duplex; head: Buffer}, onError: (message: string) => void): void {
  const prefixed = new Set<number>();
  let errorText = '';
  const message = (data: Buffer) => {
    const channel = data[0]!;
    let payload = data.subarray(1);
    // The first message on each channel is the port number.
    if (!prefixed.has(channel)) {
      prefixed.add(channel);
      payload = payload.subarray(2);
    }
    if (payload.length === 0) return;
    if (channel === DATA) {
      if (!local.write(payload)) {
        ws.pause();
        local.once('drain', () => ws.resume());
      }
    } else if (channel === ERROR) {
      errorText += payload.toString('utf8');
    }
  };
  const close = () => {
    if (errorText.trim()) onError(errorText.trim());
    local.end();
  };
  const ws = new WebSocket(upgraded.socket, upgraded.head, {message, close});
  local.on('data', (chunk: Buffer) => {
    if (!ws.send(Buffer.concat([Buffer.of(DATA), chunk]))) {
      local.pause();
      void ws.drained().then(() => local.resume());
    }
  });
  local.on('end', () => ws.close());
  local.on('error', () => ws.destroy());
  local.on('close', () => ws.close());
  local.resume();
}

function connectionError(message: string, ref: {name: string; namespace: string}): GshiftError {
  return new GshiftError('SERVER', `The port-forward to pod ${ref.name} failed: ${message.split('\n')[0]}`, {
    hint: `check that the pod runs and listens on the port (kubectl describe pod ${ref.name} -n ${ref.namespace}).`,
    details: {pod: ref.name, namespace: ref.namespace},
  });
}
