import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';

/**
 * Parsed YAML templates, kept as JSON under the user's cache directory and keyed by a hash of
 * the text: a changed file is a new key, so an entry is never stale. Loading the YAML parser
 * costs more than rendering an app; with the cache, a command that only renders never loads it.
 * Every failure to read or write the cache falls back to parsing.
 */
function cacheDir(): string | undefined {
  const env = process.env;
  if (env.GSHIFT_NO_CACHE) return undefined;
  return env.GSHIFT_CACHE_DIR ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gshift', 'parsed');
}

/** Two independent 32-bit FNV-1a hashes and the length: plenty for a local cache, and no node:crypto to load. */
function keyOf(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x9747b28c;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
    second ^= second >>> 15;
  }
  return `${(first >>> 0).toString(16)}${(second >>> 0).toString(16)}-${text.length.toString(16)}`;
}

export function readParsed(text: string): unknown {
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    return JSON.parse(readFileSync(join(dir, `${keyOf(text)}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeParsed(text: string, value: unknown): void {
  const dir = cacheDir();
  if (!dir) return;
  try {
    mkdirSync(dir, {recursive: true});
    const file = join(dir, `${keyOf(text)}.json`);
    // Written whole and renamed, so a concurrent reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}
