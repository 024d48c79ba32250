import {createHash} from 'node:crypto';
import {createWriteStream} from 'node:fs';
import {rename, rm} from 'node:fs/promises';
import {Transform} from 'node:stream';
import {finished} from 'node:stream/promises';

import type {Cluster} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {dumpCommand, dumpExtension} from './dumps.js';
import {readClientCredentials} from './connect.js';
import {databaseServer} from './server-pod.js';

export interface BackupResult {
  database: string;
  namespace: string;
  engine: string;
  pod: string;
  /** The file written, or "-" for stdout. */
  file: string;
  bytes: number;
  sha256: string;
  elapsedMs: number;
}

export interface BackupOptions {
  /** A file, or "-" for stdout; default `<name>-<UTC time>.<dump|sql|rdb>` in the working directory. */
  to?: string;
  /** Where "-" writes (process.stdout). */
  stdout?: NodeJS.WritableStream;
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

/** `orders-20261204T170102Z.dump`. */
export function defaultBackupFile(database: string, engine: Parameters<typeof dumpExtension>[0], now = new Date()): string {
  return `${database}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.${dumpExtension(engine)}`;
}

/**
 * `db backup`: the engine's dump runs in the database's own container (exec through the API
 * server, credentials from the container's environment) and streams to the file as it comes,
 * hashed on the way. The file appears under its name only when the dump succeeded.
 */
export async function backupDatabase(cluster: Cluster, namespace: string, database: string, options: BackupOptions = {}): Promise<BackupResult> {
  const server = await databaseServer(cluster, namespace, database);
  const file = options.to ?? defaultBackupFile(database, server.engine.name);
  const toStdout = file === '-';
  const partial = `${file}.partial`;
  // flush: on disk before it is renamed and reported, as pg_dump -f syncs its file.
  const out = toStdout ? (options.stdout ?? process.stdout) : createWriteStream(partial, {mode: 0o600, flush: true});
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      options.onProgress?.(bytes);
      done(null, chunk);
    },
  });
  counter.pipe(out);
  const started = Date.now();
  try {
    const command = server.variables ? dumpCommand(server.engine.name, server.variables) : ['pg_dump', '--format=custom', '-d', (await readClientCredentials(cluster, server)).dbname ?? database];
    const result = await cluster.exec(namespace, server.pod, {container: server.container, command, stdout: counter, ...(options.signal ? {signal: options.signal} : {})});
    counter.end();
    if (!toStdout) await finished(out);
    if (result.exitCode !== 0) {
      const last = result.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
      throw new GshiftError('SERVER', `The dump of database ${database} failed in pod ${server.pod} (exit code ${result.exitCode})${last ? `: ${last}` : '.'}`, {
        hint: `check the database with gshift db info ${database} -n ${namespace} and gshift logs --db ${database} -n ${namespace}.`,
        details: {database, pod: server.pod, exitCode: result.exitCode},
      });
    }
    if (!toStdout) await rename(partial, file);
  } catch (error) {
    counter.destroy();
    if (!toStdout) {
      (out as NodeJS.WritableStream & {destroy(): void}).destroy();
      await rm(partial, {force: true});
    }
    throw error;
  }
  return {database, namespace, engine: server.engine.name, pod: server.pod, file, bytes, sha256: hash.digest('hex'), elapsedMs: Date.now() - started};
}

/**
 * `db backup NAME --schedule CRON [--keep N]`: the schedule becomes one of the database's inputs,
 * so the CronJob is rendered with it from now on (a later `db create` keeps it) and applied
 * with the rest of the database's objects, the same converge as `db create`.
 */
export async function scheduleBackups(session: import('../core/session.js').Session, request: {database: string; schedule: string; keep: number; tooling: string}, tracker?: import('../converge/engine.js').ApplyTracker) {
  const [{requireDbRecord}, {createDatabase}] = await Promise.all([import('./inventory.js'), import('./create.js')]);
  const record = await requireDbRecord(session.cluster, session.target.namespace, request.database);
  const engine = record.inputs?.engine ?? 'postgresql';
  return createDatabase(session, {flags: {name: request.database, engine, namespace: session.target.namespace, backup: {schedule: request.schedule, keep: request.keep}}, tooling: request.tooling}, tracker);
}
