// RFC 6455 framing for the client side of an upgraded connection to the API server: exec and
// port-forward speak Kubernetes' channel protocols over it (streams.ts). Only what those need:
// binary messages, ping/pong, close; client frames masked, server frames not.
import {createHash, randomBytes} from 'node:crypto';
import type {Duplex} from 'node:stream';

const OPCODE = {continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa} as const;

/** A header the client sends, and the answer it expects back (Sec-WebSocket-Accept). */
export function handshakeKey(): {key: string; accept: (answer: string | undefined) => boolean} {
  const key = randomBytes(16).toString('base64');
  const expected = acceptFor(key);
  return {key, accept: (answer) => answer === expected};
}

/** The Sec-WebSocket-Accept a server must answer for a key (RFC 6455 §4.2.2). */
export const acceptFor = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

export interface WebSocketEvents {
  /** A whole binary (or text) message. */
  message(data: Buffer): void;
  /** The connection ended: a close frame, the socket closing, or an error. */
  close(reason: {code?: number; error?: Error}): void;
}

/** One WebSocket over a socket the HTTP upgrade handed over (with the bytes that came after the 101). */
export class WebSocket {
  private buffered: Buffer;
  private fragments: Buffer[] = [];
  private closed = false;

  constructor(
    private readonly socket: Duplex,
    head: Buffer,
    private readonly events: WebSocketEvents,
  ) {
    this.buffered = head;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: Error) => this.finish({error}));
    socket.on('close', () => this.finish({}));
    if (head.length > 0) queueMicrotask(() => this.receive(Buffer.alloc(0)));
  }

  /** Sends a binary message; false when the socket's buffer is full (wait for `drained`). */
  send(data: Buffer): boolean {
    if (this.closed) return false;
    return this.socket.write(frame(OPCODE.binary, data));
  }

  drained(): Promise<void> {
    return this.socket.writableNeedDrain ? new Promise((resolve) => this.socket.once('drain', () => resolve())) : Promise.resolve();
  }

  /** Stops reading (back-pressure from whoever takes the messages). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Sends a close frame and ends the socket. */
  close(code = 1000): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.socket.end(frame(OPCODE.close, payload));
    this.finish({code});
  }

  /** Ends at once, without a close frame. */
  destroy(): void {
    this.socket.destroy();
    this.finish({});
  }

  private finish(reason: {code?: number; error?: Error}): void {
    if (this.closed) return;
    this.closed = true;
    this.events.close(reason);
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const parsed = parseFrame(this.buffered);
      if (!parsed) return;
      this.buffered = this.buffered.subarray(parsed.size);
      this.handle(parsed.fin, parsed.opcode, parsed.payload);
      if (this.closed) return;
    }
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OPCODE.ping) {
      this.socket.write(frame(OPCODE.pong, payload));
    } else if (opcode === OPCODE.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.socket.end(frame(OPCODE.close, payload.subarray(0, 2)));
      this.finish({code});
    } else if (opcode === OPCODE.binary || opcode === OPCODE.text || opcode === OPCODE.continuation) {
      this.fragments.push(payload);
      if (!fin) return;
      const message = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
      this.fragments = [];
      this.events.message(message);
    }
  }
}

/** One frame from the start of `data`, or undefined when it has not all arrived. */
export function parseFrame(data: Buffer): {fin: boolean; opcode: number; payload: Buffer; size: number} | undefined {
  if (data.length < 2) return undefined;
  const fin = (data[0]! & 0x80) !== 0;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? data.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  let payload = data.subarray(offset, offset + length);
  if (mask) payload = unmask(payload, mask);
  return {fin, opcode, payload, size: offset + length};
}

/** A client frame: FIN set, masked with a fresh key (RFC 6455 §5.3). */
export function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + 4 + length);
  out[0] = 0x80 | opcode;
  if (length < 126) out[1] = 0x80 | length;
  else if (length < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, header);
  for (let index = 0; index < length; index++) out[header + 4 + index] = payload[index]! ^ mask[index & 3]!;
  return out;
}

function unmask(payload: Buffer, mask: Buffer): Buffer {
  const out = Buffer.allocUnsafe(payload.length);
  for (let index = 0; index < payload.length; index++) out[index] = payload[index]! ^ mask[index & 3]!;
  return out;
}
