import {usageError} from '../errors.js';
import type {EngineName} from './engines.js';

/**
 * Dumps: what runs in the database's container to write one to stdout (`db backup`), what a
 * dump file is called, and which engine a file is a dump of (`db restore` refuses any other).
 */

/** The container's variables holding the credentials (from its secretKeyRefs), named, never valued. */
export interface CredentialVariables {
  user?: string;
  password: string;
  database?: string;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The dump command, run by `sh -c` in the container so that the password comes from the
 * container's own environment: it is never on a command line, in the exec request's URL, or in
 * the API server's audit log. Only variable names are written into the script.
 */
export function dumpCommand(engine: EngineName, variables: CredentialVariables): string[] {
  for (const name of Object.values(variables)) if (name !== undefined && !VARIABLE.test(name)) throw new Error(`not a variable name: ${name}`);
  const {user, password, database} = variables;
  let script: string;
  if (engine === 'postgresql') {
    // The custom format: compressed, and pg_restore can restore it object by object.
    script = `export PGPASSWORD="$${password}"; exec pg_dump --format=custom -U "$${user}" -d "$${database}"`;
  } else if (engine === 'redis') {
    // Through a file: `--rdb -` needs Redis 7, and Redis 7.0 appends its EOF marker when writing to stdout.
    script = `export REDISCLI_AUTH="$${password}"; f="$(mktemp)" || exit 1; redis-cli --rdb "$f" >&2 && cat "$f"; s=$?; rm -f "$f"; exit $s`;
  } else {
    // mariadb-dump in MariaDB images, mysqldump in MySQL's; one transaction, so no table is locked.
    script = `export MYSQL_PWD="$${password}"; exec "$(command -v mariadb-dump || command -v mysqldump)" --single-transaction --no-tablespaces -u "$${user}" "$${database}"`;
  }
  return ['sh', '-c', script];
}

export function dumpExtension(engine: EngineName): string {
  return engine === 'postgresql' ? 'dump' : engine === 'redis' ? 'rdb' : 'sql';
}

export type DumpFormat = 'postgresql' | 'postgresql-plain' | 'mysql' | 'redis' | 'gzip' | 'unknown';

const FORMAT_NAMES: Record<DumpFormat, string> = {
  postgresql: 'a PostgreSQL custom-format dump (pg_dump -Fc)',
  'postgresql-plain': 'a PostgreSQL plain SQL dump',
  mysql: 'a MariaDB/MySQL dump',
  redis: 'a Redis RDB snapshot',
  gzip: 'a gzip-compressed file',
  unknown: 'an unknown format',
};

/** What a file holds, from its first bytes (a few hundred are enough). */
export function detectDumpFormat(head: Buffer): DumpFormat {
  const text = head.toString('latin1');
  if (text.startsWith('PGDMP')) return 'postgresql';
  if (/^REDIS\d{4}/.test(text)) return 'redis';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const lines = text.split('\n').slice(0, 5).map((line) => line.trim());
  if (lines.some((line) => /^-- (MariaDB|MySQL) dump\b/.test(line)) || lines[0]?.startsWith('/*M!999999\\- enable the sandbox mode')) return 'mysql';
  if (lines.some((line) => /^-- PostgreSQL database dump\b/.test(line))) return 'postgresql-plain';
  return 'unknown';
}

const EXPECTED: Record<EngineName, DumpFormat> = {postgresql: 'postgresql', mariadb: 'mysql', mysql: 'mysql', redis: 'redis'};

/** Refuses a file that is not a dump `db backup` makes for this engine. */
export function checkDumpFor(engine: EngineName, head: Buffer, file: string, database: string): void {
  const format = detectDumpFormat(head);
  if (format === EXPECTED[engine]) return;
  const hint =
    format === 'gzip'
      ? `decompress it first (gunzip), then pass the ${dumpExtension(engine)} file.`
      : format === 'postgresql-plain'
        ? 'restore a plain SQL dump with psql through gshift db connect; gshift db restore takes the custom format gshift db backup writes.'
        : `pass a file that gshift db backup ${database} wrote (${FORMAT_NAMES[EXPECTED[engine]]}).`;
  const what = format === 'unknown' ? `${file} is not a dump of ${engine} database ${database}: gshift does not recognise its format.` : `${file} is ${FORMAT_NAMES[format]}, not a dump of ${engine} database ${database}.`;
  throw usageError(what, hint, {file, format, engine});
}
