import {PassThrough} from 'node:stream';

import {describe, expect, it} from '@jest/globals';

import {exitCodeOf} from '../../../src/cluster/exec.js';
import {acceptFor, frame, handshakeKey, parseFrame, WebSocket} from '../../../src/cluster/websocket.js';

/** A frame as a server sends it: unmasked. */
function serverFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.of((fin ? 0x80 : 0) | opcode, length) : length < 65536 ? Buffer.of((fin ? 0x80 : 0) | opcode, 126, length >> 8, length & 0xff) : Buffer.concat([Buffer.of((fin ? 0x80 : 0) | opcode, 127), (() => {
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(length));
    return size;
  })()]);
  return Buffer.concat([header, payload]);
}

describe('WebSocket framing', () => {
  it('masks what the client sends, and the server reads back the payload at every length encoding', () => {
    for (const size of [0, 5, 125, 126, 65535, 65536, 300_000]) {
      const payload = Buffer.alloc(size, 7);
      const sent = frame(0x2, payload);
      expect(sent[1]! & 0x80).toBe(0x80);
      const parsed = parseFrame(sent)!;
      expect(parsed).toMatchObject({fin: true, opcode: 0x2, size: sent.length});
      expect(parsed.payload.equals(payload)).toBe(true);
    }
  });

  it('waits for a frame that has not all arrived', () => {
    const whole = serverFrame(0x2, Buffer.alloc(1000, 1));
    expect(parseFrame(whole.subarray(0, 1))).toBeUndefined();
    expect(parseFrame(whole.subarray(0, 500))).toBeUndefined();
    expect(parseFrame(whole)?.payload.length).toBe(1000);
  });

  it('computes the Sec-WebSocket-Accept of RFC 6455, and accepts only that answer', () => {
    expect(acceptFor('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    const {key, accept} = handshakeKey();
    expect(Buffer.from(key, 'base64')).toHaveLength(16);
    expect(accept(acceptFor(key))).toBe(true);
    expect(accept('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')).toBe(false);
  });

  it('delivers messages split over chunks and fragments, answers pings, and ends on a close frame', async () => {
    const socket = new PassThrough();
    const written: Buffer[] = [];
    const originalWrite = socket.write.bind(socket);
    socket.write = ((chunk: Buffer) => (written.push(chunk), true)) as typeof socket.write;
    socket.end = ((chunk?: Buffer) => (chunk && written.push(chunk), socket)) as typeof socket.end;
    const messages: string[] = [];
    const closed = new Promise<{code?: number}>((resolve) => {
      new WebSocket(socket, serverFrame(0x2, Buffer.from('\x01hello')).subarray(0, 3), {message: (data) => messages.push(data.toString('latin1')), close: resolve});
    });
    const rest = Buffer.concat([
      serverFrame(0x2, Buffer.from('\x01hello')).subarray(3),
      serverFrame(0x9, Buffer.from('p')),
      serverFrame(0x2, Buffer.from('\x02par'), false),
      serverFrame(0x0, Buffer.from('ts')),
      serverFrame(0x8, Buffer.of(0x03, 0xe8)),
    ]);
    originalWrite(rest.subarray(0, 4));
    originalWrite(rest.subarray(4));
    expect((await closed).code).toBe(1000);
    expect(messages).toEqual(['\x01hello', '\x02parts']);
    expect(written.map((chunk) => parseFrame(chunk)?.opcode)).toEqual([0xa, 0x8]);
  });
});

describe('exec exit status', () => {
  const pod = {apiVersion: 'v1', kind: 'Pod', name: 'orders-0', namespace: 'shop'};

  it('reads success, a non-zero exit code, and names any other failure', () => {
    expect(exitCodeOf('{"metadata":{},"status":"Success"}', pod)).toBe(0);
    expect(exitCodeOf(JSON.stringify({status: 'Failure', reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: '3'}]}}), pod)).toBe(3);
    expect(() => exitCodeOf(JSON.stringify({status: 'Failure', reason: 'InternalError', message: 'executable file not found'}), pod)).toThrow('The exec in pod orders-0 failed: executable file not found.');
  });
});
