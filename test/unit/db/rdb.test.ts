import {describe, expect, it} from '@jest/globals';

import {rdbToRestoreCommands} from '../../../src/db/rdb.js';
import {crc64, dumpPayload, lzfDecompress, resp} from '../../../src/db/redis-encoding.js';

/** An RDB string: 6-bit length and the bytes. */
const str = (text: string) => Buffer.concat([Buffer.of(text.length), Buffer.from(text)]);
const ms = (time: number) => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(time));
  return out;
};

describe('Redis snapshots to RESTORE commands', () => {
  it('computes Redis\' CRC-64 (the Jones polynomial check value)', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).toBe('e9c6d914c4b8d9ca');
  });

  it('decompresses LZF as Redis writes it (a literal run, then a back reference)', () => {
    // "abcabcabc": literal "abc" (control 2), then a 6-byte copy from 3 back (length 6-2=4 in the top bits).
    expect(lzfDecompress(Buffer.from([2, 0x61, 0x62, 0x63, (4 << 5) | 0, 2]), 9).toString()).toBe('abcabcabc');
  });

  it('restores each key with its value as stored, its database and absolute expiry, and leaves out expired keys', () => {
    const now = 1_800_000_000_000;
    const rdb = Buffer.concat([
      Buffer.from('REDIS0010'),
      Buffer.of(0xfa), str('redis-ver'), str('7.0.15'),
      Buffer.of(0xfe, 0x00, 0xfb, 0x02, 0x01),
      Buffer.of(0xfc), ms(now - 1000), Buffer.of(0x00), str('gone'), str('x'),
      Buffer.of(0x00), str('greeting'), str('hello'),
      Buffer.of(0xfe, 0x03),
      Buffer.of(0xfc), ms(now + 60_000), Buffer.of(0x00), Buffer.of(0xc0, 0x2a), str('answer'),
      Buffer.of(0xff), Buffer.alloc(8),
      // redis-cli 7.0's --rdb to stdout appends its EOF mark after the end: ignored.
      Buffer.from('0123456789012345678901234567890123456789'),
    ]);
    const restore = rdbToRestoreCommands(rdb, now);
    expect(restore).toMatchObject({keys: 2, expired: 1, skipped: []});
    expect(restore.commands.equals(Buffer.concat([
      resp([Buffer.from('RESTORE'), Buffer.from('greeting'), Buffer.from('0'), dumpPayload(0, str('hello'), 10), Buffer.from('REPLACE')]),
      resp([Buffer.from('SELECT'), Buffer.from('3')]),
      resp([Buffer.from('RESTORE'), Buffer.from('42'), Buffer.from(String(now + 60_000)), dumpPayload(0, str('answer'), 10), Buffer.from('REPLACE'), Buffer.from('ABSTTL')]),
    ]))).toBe(true);
  });

  it('writes DUMP payloads: type, value, RDB version and the CRC of all that', () => {
    const payload = dumpPayload(0, str('hello'), 10);
    expect(payload.subarray(0, 7)).toEqual(Buffer.concat([Buffer.of(0), str('hello')]));
    expect(payload.readUInt16LE(7)).toBe(10);
    expect(payload.readBigUInt64LE(9)).toBe(crc64(payload.subarray(0, 9)));
  });

  it('refuses a truncated snapshot and anything that is not one', () => {
    expect(() => rdbToRestoreCommands(Buffer.concat([Buffer.from('REDIS0010'), Buffer.of(0x00), str('key')]))).toThrow('The Redis snapshot ends before its end marker: the file is truncated.');
    expect(() => rdbToRestoreCommands(Buffer.from('PGDMP'))).toThrow('The file is not a Redis RDB snapshot.');
  });
});
