import {open, stat} from 'node:fs/promises';

import type {Cluster} from '../cluster/index.js';
import {GshiftError, usageError} from '../errors.js';
import {type ClientCredentials, clientInvocation, requireClient} from './client-programs.js';
import {checkDumpFor} from './dumps.js';
import {type Engine, ENGINES, type EngineName} from './engines.js';
import {type DbRecord, readDbRecord, requireDbRecord} from './inventory.js';

/**
 * `db restore`: a dump goes back through a port-forward to the database's pod, into the engine's
 * own client on this machine — pg_restore for PostgreSQL, the SQL client for MariaDB/MySQL,
 * `redis-cli --pipe` with RESTORE commands for Redis (rdb.ts). Not into an exec's stdin: that
 * needs the end of stdin passed on, which not every kubelet does, while a client connection is
 * what every server takes on every cluster.
 */
export interface RestorePlan {
  /** The database whose dump this is (and, without --into, the one restored into). */
  source: DbRecord;
  engine: Engine;
  namespace: string;
  file: string;
  bytes: number;
  /** --into: the new database to create and restore into. */
  into?: string;
  /** The client that does the restore. */
  client: string;
}

export interface RestoreResult {
  database: string;
  namespace: string;
  engine: string;
  from: string;
  bytes: number;
  elapsedMs: number;
  /** Redis: the keys restored. */
  keys?: number;
  into?: string;
}

/** Everything checked before anything is asked or written: the database, the file and its format, the client, the new name. */
export async function planRestore(cluster: Cluster, namespace: string, request: {database: string; from: string; into?: string}): Promise<RestorePlan> {
  const source = await requireDbRecord(cluster, namespace, request.database);
  const engine = ENGINES[(source.inputs?.engine ?? 'postgresql') as EngineName];
  const {file, bytes, head} = await readHead(request.from);
  checkDumpFor(engine.name, head, file, request.database);
  const client = requireClient(engine.name, 'restore');
  if (source.inputs?.ha && !request.into) {
    throw usageError(`Database ${request.database} is a CloudNativePG cluster, which restores into a new cluster only.`, `pass --into NEW: gshift db restore ${request.database} --from ${file} --into ${request.database}-restored.`, {database: request.database});
  }
  if (request.into) {
    const {checkDbName} = await import('./inputs.js');
    checkDbName(request.into);
    if (await readDbRecord(cluster, namespace, request.into)) {
      throw new GshiftError('CONFLICT', `Database ${request.into} already exists in ${namespace}; --into restores into a new database.`, {
        hint: `pick a new name, or restore into it with gshift db restore ${request.into} --from ${file}.`,
        details: {database: request.into, namespace},
      });
    }
  }
  return {source, engine, namespace, file, bytes, client, ...(request.into ? {into: request.into} : {})};
}

async function readHead(file: string): Promise<{file: string; bytes: number; head: Buffer}> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(`Cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code ?? 'error'}).`, 'pass the dump gshift db backup wrote with --from FILE.', {file});
  }
  try {
    const head = Buffer.alloc(512);
    const {bytesRead} = await handle.read(head, 0, head.length, 0);
    return {file, bytes: (await stat(file)).size, head: head.subarray(0, bytesRead)};
  } finally {
    await handle.close();
  }
}

/** Restores the plan's file into `database` (the source, or the new one once it is ready). */
export async function runRestore(cluster: Cluster, plan: RestorePlan, database: string): Promise<RestoreResult> {
  const [{openDatabaseTunnel}, {execa}] = await Promise.all([import('./connect.js'), import('execa')]);
  const started = Date.now();
  const {tunnel, credentials} = await openDatabaseTunnel(cluster, plan.namespace, database);
  try {
    const {args, env} = clientInvocation(plan.engine.name, {address: tunnel.address, port: tunnel.port}, credentials);
    let keys: number | undefined;
    let run;
    if (plan.engine.name === 'postgresql') {
      // The dump's objects replace those of the same name; owners become the database's user.
      run = await execa(plan.client, [...args, '--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', plan.file], {env, reject: false, stdin: 'ignore'});
    } else if (plan.engine.name === 'redis') {
      const [{readFile}, {rdbToRestoreCommands}] = await Promise.all([import('node:fs/promises'), import('./rdb.js')]);
      const restore = rdbToRestoreCommands(await readFile(plan.file));
      keys = restore.keys;
      run = await execa(plan.client, [...args, '--pipe'], {env, reject: false, input: restore.commands});
      const errors = /errors: (\d+)/.exec(run.stdout);
      if (run.exitCode === 0 && errors && errors[1] !== '0') run = {...run, exitCode: 1};
    } else {
      run = await execa(plan.client, args, {env, reject: false, inputFile: plan.file});
    }
    if (run.exitCode !== 0) throw restoreFailed(plan, database, credentials, `${run.stderr}\n${run.stdout}`, run.exitCode);
    return {database, namespace: plan.namespace, engine: plan.engine.name, from: plan.file, bytes: plan.bytes, elapsedMs: Date.now() - started, ...(keys !== undefined ? {keys} : {}), ...(plan.into ? {into: plan.into} : {})};
  } finally {
    await tunnel.close();
  }
}

function restoreFailed(plan: RestorePlan, database: string, credentials: ClientCredentials, output: string, exitCode: number | undefined): GshiftError {
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line && !line.includes(credentials.password));
  const reason = lines.filter((line) => /error|fail|denied|invalid/i.test(line)).slice(-2).join(' ') || lines.slice(-2).join(' ');
  return new GshiftError('SERVER', `Restoring ${plan.file} into database ${database} failed (${plan.client.split('/').pop()} exit code ${exitCode ?? 'unknown'})${reason ? `: ${reason.slice(0, 400)}` : '.'}`, {
    hint: plan.engine.name === 'postgresql' ? 'pg_restore ran in one transaction, so nothing was changed; fix the cause and run the restore again.' : 'fix the cause and run the restore again (what was restored before the error stays).',
    details: {database, file: plan.file, exitCode},
  });
}
