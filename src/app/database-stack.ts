import {ENGINE_NAMES, ENGINES, type Engine} from '../db/engines.js';
import {usageError} from '../errors.js';
import type {Stack} from '../render/catalogue.js';
import {parseImageReference, type AppCreateFlags} from './inputs.js';

/**
 * Databases have one code path, `gshift db create`: `app create` with a database stack (kind: db)
 * is refused before anything renders or connects, with the db create command that does what was
 * asked — the same name, target, version and size — ready to copy.
 */

/** What `app create` was given, flags as the command parsed them. */
export interface AppCreateRequest extends AppCreateFlags {
  'dry-run'?: 'none' | 'client' | 'server';
  output?: 'yaml' | 'json';
  reveal?: boolean;
  'force-conflicts'?: boolean;
  wait?: boolean;
  timeout?: number;
  json?: boolean;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Throws the refusal when --stack names a database stack; an unknown stack is left to the usual not-found error. */
export async function refuseDatabaseStack(request: AppCreateRequest, templateDirs: readonly string[]): Promise<void> {
  const database = await findDatabaseStack(request.stack, templateDirs);
  const refusal = database && databaseStackRefusal(request, database.stack);
  if (refusal) throw refusal;
}

/**
 * The stack of that name when it is a database stack (kind: db), with the engine that runs it
 * (none for a team's own); undefined for an app stack, an unknown one or one that does not load
 * (what uses it reports that).
 */
export async function findDatabaseStack(name: string | undefined, templateDirs: readonly string[]): Promise<{stack: Stack; engine?: Engine} | undefined> {
  const {listStackEntries, loadStackEntry} = await import('../render/catalogue.js');
  const entry = listStackEntries(templateDirs).find((candidate) => candidate.name === name);
  const stack = entry && (await loadStackEntry(entry).catch(() => undefined));
  if (stack?.descriptor.kind !== 'db') return undefined;
  const engine = engineOf(stack);
  return {stack, ...(engine ? {engine} : {})};
}

const engineOf = (stack: Pick<Stack, 'name'>): Engine | undefined => Object.values(ENGINES).find((candidate) => candidate.stack === stack.name);

/** The usage error (exit 2) for a database stack; undefined for an app stack. */
export function databaseStackRefusal(request: AppCreateRequest, stack: Pick<Stack, 'name' | 'descriptor'>) {
  if (stack.descriptor.kind !== 'db') return undefined;
  const engine = engineOf(stack);
  if (!engine) {
    return usageError(
      `Stack ${stack.name} is a database stack, and databases are created with gshift db create, whose engines are ${ENGINE_NAMES.join(', ')}.`,
      `run gshift db create ${shellWord(request.name)} --engine ENGINE with one of them, or make ${stack.name} an app stack (kind: app in its stack.yaml).`,
      {stack: stack.name, engines: ENGINE_NAMES},
    );
  }
  const {args, dropped} = equivalentDbCreate(request, stack, engine);
  const command = ['gshift', ...args].map(shellWord).join(' ');
  const unmatched = dropped.length === 0 ? '' : ` (${dropped.join(', ')} ${dropped.length === 1 ? 'has' : 'have'} no equivalent there)`;
  return usageError(`Stack ${stack.name} is a database, and databases are created with gshift db create.`, `run ${command} instead${unmatched}.`, {
    stack: stack.name,
    engine: engine.name,
    command,
    args,
    ...(dropped.length > 0 ? {dropped} : {}),
  });
}

/**
 * The `db create` arguments that mean what the `app create` flags asked for; `dropped` names
 * the flags db create has no counterpart for (a database's port, replicas and environment are
 * the engine's, and it is not exposed outside the cluster).
 */
export function equivalentDbCreate(request: AppCreateRequest, stack: Pick<Stack, 'descriptor'>, engine: Engine): {args: string[]; dropped: string[]} {
  const dropped: string[] = [];
  let version: string | undefined;
  let size = request.storage;
  for (const assignment of request.param ?? []) {
    const equals = assignment.indexOf('=');
    const name = assignment.slice(0, Math.max(equals, 0));
    const value = assignment.slice(equals + 1);
    // The stack's own size parameter is --storage by another name.
    if (equals > 0 && name === stack.descriptor.storage?.parameter) size = value;
    // The OpenShift sample templates take the version as POSTGRESQL_VERSION, MYSQL_VERSION, ….
    else if (equals > 0 && /^(?:[A-Z0-9]+_)?VERSION$/.test(name)) version = value;
    else if (!dropped.includes('--param')) dropped.push('--param');
  }
  if (request.image) {
    const named = versionNamedBy(request.image, engine);
    if (named) version ??= named;
    else dropped.push('--image');
  }
  if (request.port !== undefined) dropped.push('--port');
  if (request.replicas !== undefined) dropped.push('--replicas');
  if ((request.envVar ?? []).length > 0) dropped.push('--env-var');
  if (request.host) dropped.push('--host');

  const dryRun = request['dry-run'];
  const args = [
    'db', 'create', request.name, '--engine', engine.name,
    ...(version ? ['--version', version] : []),
    ...(size ? ['--size', size] : []),
    ...(request.tenant ? ['--tenant', request.tenant] : []),
    ...(request.env ? ['--env', request.env] : []),
    ...(request.namespace ? ['-n', request.namespace] : []),
    ...(request.platform ? ['--platform', request.platform] : []),
    ...(dryRun === 'client' ? ['--dry-run'] : dryRun === 'server' ? ['--dry-run=server'] : []),
    ...(dryRun === 'client' && request.output === 'json' ? ['-o', 'json'] : []),
    ...(request.reveal ? ['--reveal'] : []),
    ...(request['force-conflicts'] ? ['--force-conflicts'] : []),
    ...(request.wait === false ? ['--no-wait'] : []),
    ...(request.timeout !== undefined && request.timeout !== DEFAULT_TIMEOUT_MS ? ['--timeout', duration(request.timeout)] : []),
    ...(request.json ? ['--json'] : []),
  ];
  return {args, dropped};
}

/** The version an image names, as the stack's images do: `…/rhel9/postgresql-15:9.7` is 15. */
function versionNamedBy(image: string, engine: Engine): string | undefined {
  let repository: string;
  try {
    repository = parseImageReference(image).repository;
  } catch {
    return undefined;
  }
  const last = repository.split('/').at(-1);
  return engine.versions.find((version) => engine.imageTag(version) === last);
}

/** 90000 → 90s, 300000 → 5m: the form --timeout reads back. */
function duration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** A word as a POSIX shell reads it back: as it is when it is plain, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
