import {usageError} from '../errors.js';

// The byte formats a Redis restore speaks, beside the snapshot reader (rdb.ts): DUMP's payload,
// the client protocol (RESP), Redis' CRC-64, and the LZF compression of long snapshot strings.

/** DUMP's serialisation of one value: type, value, the RDB version (2 bytes), CRC-64 of all that (8 bytes). */
export function dumpPayload(type: number, value: Buffer, version: number): Buffer {
  const body = Buffer.alloc(1 + value.length + 2);
  body[0] = type;
  value.copy(body, 1);
  body.writeUInt16LE(version, 1 + value.length);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(body));
  return Buffer.concat([body, crc]);
}

/** One command in the Redis protocol (RESP), binary-safe. */
export function resp(args: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) parts.push(Buffer.from(`$${arg.length}\r\n`), arg, Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

let table: BigUint64Array | undefined;

/** Redis' CRC-64 (Jones polynomial, reflected; crc64("123456789") = 0xe9c6d914c4b8d9ca). */
export function crc64(data: Buffer): bigint {
  if (!table) {
    table = new BigUint64Array(256);
    const poly = 0x95ac9329ac4bc9b5n;
    for (let index = 0; index < 256; index++) {
      let crc = BigInt(index);
      for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
      table[index] = crc;
    }
  }
  let crc = 0n;
  for (const byte of data) crc = table[Number((crc ^ BigInt(byte)) & 0xffn)]! ^ (crc >> 8n);
  return crc;
}

/** LZF, as Redis compresses long strings in snapshots. */
export function lzfDecompress(input: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  let inPos = 0;
  let outPos = 0;
  while (inPos < input.length) {
    const control = input[inPos++]!;
    if (control < 32) {
      const length = control + 1;
      if (outPos + length > size || inPos + length > input.length) throw corrupt('LZF literal overruns');
      input.copy(out, outPos, inPos, inPos + length);
      inPos += length;
      outPos += length;
    } else {
      let length = control >> 5;
      if (length === 7) length += input[inPos++]!;
      const back = outPos - ((control & 0x1f) << 8) - input[inPos++]! - 1;
      length += 2;
      if (back < 0 || outPos + length > size) throw corrupt('LZF reference overruns');
      for (let index = 0; index < length; index++) out[outPos++] = out[back + index]!;
    }
  }
  if (outPos !== size) throw corrupt('LZF data ends early');
  return out;
}

/** A snapshot that cannot be read as RDB. */
export const corrupt = (what: string) => usageError(`The Redis snapshot is corrupt (${what}).`, 'take the backup again with gshift db backup.');
