import {usageError} from '../errors.js';
import {corrupt, dumpPayload, lzfDecompress, resp} from './redis-encoding.js';

/**
 * A Redis RDB snapshot (what `redis-cli --rdb` writes) as the commands that put its keys back
 * into a running server: `RESTORE key ttl payload REPLACE ABSTTL` per key, the payload being the
 * key's value exactly as the snapshot holds it (DUMP's format: type, value, RDB version, CRC-64).
 * So a restore needs no access to the server's files, only a client connection — the
 * port-forward, on any cluster. Values are not decoded, only measured, so every type of the RDB
 * versions up to 12 passes through as it was (module values excepted where their format is not
 * self-describing).
 */
export interface RdbRestore {
  /** The RESP protocol text for `redis-cli --pipe`. */
  commands: Buffer;
  keys: number;
  /** Keys left out because they had expired. */
  expired: number;
  /** Things in the snapshot that are not keys and were not restored (functions). */
  skipped: string[];
}

const OPCODE = {function2: 0xf5, moduleAux: 0xf7, idle: 0xf8, freq: 0xf9, aux: 0xfa, resizeDb: 0xfb, expireMs: 0xfc, expire: 0xfd, selectDb: 0xfe, eof: 0xff, slotInfo: 0xf4} as const;

class Reader {
  pos = 0;
  constructor(readonly data: Buffer) {}

  need(count: number): void {
    if (this.pos + count > this.data.length) throw truncated();
  }

  byte(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  skip(count: number): void {
    this.need(count);
    this.pos += count;
  }

  bytes(count: number): Buffer {
    this.need(count);
    const out = this.data.subarray(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }

  /** A length, or the special encoding of a string (integer or LZF) when the top bits are 11. */
  length(): {value: number; special?: number} {
    const first = this.byte();
    const kind = first >> 6;
    if (kind === 0) return {value: first & 0x3f};
    if (kind === 1) return {value: ((first & 0x3f) << 8) | this.byte()};
    if (kind === 3) return {value: 0, special: first & 0x3f};
    if (first === 0x80) {
      this.need(4);
      const value = this.data.readUInt32BE(this.pos);
      this.pos += 4;
      return {value};
    }
    if (first === 0x81) {
      this.need(8);
      const value = Number(this.data.readBigUInt64BE(this.pos));
      this.pos += 8;
      return {value};
    }
    throw corrupt(`unknown length encoding 0x${first.toString(16)}`);
  }

  count(): number {
    const {value, special} = this.length();
    if (special !== undefined) throw corrupt('an encoded string where a count belongs');
    return value;
  }

  /** A string's bytes, decoded (keys, and names in the snapshot). */
  string(): Buffer {
    const {value, special} = this.length();
    if (special === undefined) return this.bytes(value);
    if (special === 0) return Buffer.from(String(this.bytes(1).readInt8(0)));
    if (special === 1) return Buffer.from(String(this.bytes(2).readInt16LE(0)));
    if (special === 2) return Buffer.from(String(this.bytes(4).readInt32LE(0)));
    if (special === 3) {
      const compressed = this.count();
      const size = this.count();
      return lzfDecompress(this.bytes(compressed), size);
    }
    throw corrupt(`unknown string encoding ${special}`);
  }

  skipString(): void {
    const {value, special} = this.length();
    if (special === undefined) this.skip(value);
    else if (special === 0) this.skip(1);
    else if (special === 1) this.skip(2);
    else if (special === 2) this.skip(4);
    else if (special === 3) {
      const compressed = this.count();
      this.count();
      this.skip(compressed);
    } else throw corrupt(`unknown string encoding ${special}`);
  }

  /** A module value in the self-describing format (opcodes until EOF). */
  skipModuleValue(): void {
    for (;;) {
      const opcode = this.count();
      if (opcode === 0) return;
      if (opcode === 1 || opcode === 2) this.count();
      else if (opcode === 3) this.skip(4);
      else if (opcode === 4) this.skip(8);
      else if (opcode === 5) this.skipString();
      else throw corrupt(`unknown module opcode ${opcode}`);
    }
  }
}

/** Moves past one value of the given type (RDB types 0-21). */
function skipValue(reader: Reader, type: number): void {
  const repeat = (times: number, each: () => void) => {
    for (let index = 0; index < times; index++) each();
  };
  switch (type) {
    case 0: // string
    case 9: // zipmap
    case 10: // list ziplist
    case 11: // intset
    case 12: // zset ziplist
    case 13: // hash ziplist
    case 16: // hash listpack
    case 17: // zset listpack
    case 20: // set listpack
      return reader.skipString();
    case 1: // list
    case 2: // set
    case 14: // list quicklist
      return repeat(reader.count(), () => reader.skipString());
    case 3: // zset, scores as strings
      return repeat(reader.count(), () => {
        reader.skipString();
        const size = reader.byte();
        if (size < 253) reader.skip(size);
      });
    case 4: // hash
      return repeat(reader.count() * 2, () => reader.skipString());
    case 5: // zset, binary scores
      return repeat(reader.count(), () => {
        reader.skipString();
        reader.skip(8);
      });
    case 7: // module, self-describing
      reader.count();
      return reader.skipModuleValue();
    case 18: // list quicklist 2
      return repeat(reader.count(), () => {
        reader.count();
        reader.skipString();
      });
    case 15:
    case 19:
    case 21:
      return skipStream(reader, type);
    default:
      throw usageError(`The Redis snapshot holds a value of type ${type}, which gshift cannot restore.`, 'restore it with the tools of the module that wrote it.');
  }
}

function skipStream(reader: Reader, type: number): void {
  const nodes = reader.count();
  for (let index = 0; index < nodes; index++) {
    reader.skipString();
    reader.skipString();
  }
  reader.count(); // items
  reader.count(); // last id
  reader.count();
  if (type >= 19) for (let index = 0; index < 5; index++) reader.count(); // first id, max deleted id, entries added
  const groups = reader.count();
  for (let group = 0; group < groups; group++) {
    reader.skipString();
    reader.count();
    reader.count();
    if (type >= 19) reader.count(); // entries read
    // The group's pending entries: id (16 bytes), delivery time (8), delivery count.
    const pending = reader.count();
    for (let entry = 0; entry < pending; entry++) {
      reader.skip(16 + 8);
      reader.count();
    }
    const consumers = reader.count();
    for (let consumer = 0; consumer < consumers; consumer++) {
      reader.skipString();
      reader.skip(type >= 21 ? 16 : 8);
      reader.skip(reader.count() * 16);
    }
  }
}

/** The commands that restore every key of the snapshot (see RdbRestore). */
export function rdbToRestoreCommands(rdb: Buffer, now = Date.now()): RdbRestore {
  const header = rdb.subarray(0, 9).toString('latin1');
  if (!/^REDIS\d{4}$/.test(header)) throw usageError('The file is not a Redis RDB snapshot.', 'pass a file that gshift db backup wrote for a Redis database.');
  const version = Number(header.slice(5));
  const reader = new Reader(rdb);
  reader.pos = 9;
  const out: Buffer[] = [];
  const skipped: string[] = [];
  let keys = 0;
  let expired = 0;
  let database = -1;
  let selected = 0;
  let expiresAt: number | undefined;
  for (;;) {
    const type = reader.byte();
    if (type === OPCODE.eof) break;
    if (type === OPCODE.selectDb) {
      database = reader.count();
    } else if (type === OPCODE.resizeDb) {
      reader.count();
      reader.count();
    } else if (type === OPCODE.aux) {
      reader.skipString();
      reader.skipString();
    } else if (type === OPCODE.expireMs) {
      expiresAt = Number(reader.bytes(8).readBigUInt64LE(0));
    } else if (type === OPCODE.expire) {
      expiresAt = reader.bytes(4).readUInt32LE(0) * 1000;
    } else if (type === OPCODE.idle) {
      reader.count();
    } else if (type === OPCODE.freq) {
      reader.byte();
    } else if (type === OPCODE.moduleAux) {
      reader.count();
      reader.count();
      reader.skipModuleValue();
    } else if (type === OPCODE.function2) {
      reader.skipString();
      skipped.push('a function library (load it again with FUNCTION LOAD)');
    } else if (type === OPCODE.slotInfo) {
      reader.count();
      reader.count();
      reader.count();
    } else {
      const key = reader.string();
      const start = reader.pos;
      skipValue(reader, type);
      const value = rdb.subarray(start, reader.pos);
      const expiry = expiresAt;
      expiresAt = undefined;
      if (expiry !== undefined && expiry <= now) {
        expired++;
        continue;
      }
      if (database >= 0 && database !== selected) {
        out.push(resp([Buffer.from('SELECT'), Buffer.from(String(database))]));
        selected = database;
      }
      out.push(resp([Buffer.from('RESTORE'), key, Buffer.from(String(expiry ?? 0)), dumpPayload(type, value, version), Buffer.from('REPLACE'), ...(expiry !== undefined ? [Buffer.from('ABSTTL')] : [])]));
      keys++;
    }
  }
  return {commands: Buffer.concat(out), keys, expired, skipped};
}

const truncated = () => usageError('The Redis snapshot ends before its end marker: the file is truncated.', 'take the backup again with gshift db backup.');
