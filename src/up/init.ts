import {existsSync, writeFileSync} from 'node:fs';
import {dirname, isAbsolute, relative, resolve} from 'node:path';

import {checkAppName, checkStackName} from '../app/inputs.js';
import type {GshiftConfig} from '../config/schema.js';
import {checkDbName} from '../db/inputs.js';
import {ENGINE_NAMES, findEngine} from '../db/engines.js';
import {usageError} from '../errors.js';
import {toYaml} from '../render/yaml-emit.js';
import {checkEnvironments, checkTenantName, parseEnvironmentList} from '../tenant/settings.js';
import {SCHEMA_FILE} from './file.js';
import type {TenantFile} from './tenant-file.js';

/**
 * `gshift init`: a starter gshift.yaml from a few answers (the tenant, its environments, apps
 * as NAME:STACK, databases as NAME:ENGINE), or the file that describes what a tenant already
 * runs (from-tenant.ts). Written with the line that points editors at the JSON Schema.
 */
export interface StarterRequest {
  tenant: string;
  /** Comma-separated, as tenant create --envs (default: the config's environments). */
  envs?: string;
  /** NAME:STACK */
  apps?: string[];
  /** NAME:ENGINE */
  dbs?: string[];
}

function pairsOf(values: readonly string[] | undefined, flag: string, example: string): [string, string][] {
  return (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean).map((value) => {
    const [name, kind, ...rest] = value.split(':');
    if (!name || !kind || rest.length > 0) throw usageError(`--${flag} ${JSON.stringify(value)} is not NAME:${flag === 'app' ? 'STACK' : 'ENGINE'}.`, `write it like --${flag} ${example}.`);
    return [name, kind];
  });
}

/** The starter file's content, every name checked by the rules of tenant, app and db create. */
export function starterFile(request: StarterRequest, config: GshiftConfig): TenantFile {
  checkTenantName(request.tenant);
  const envs = parseEnvironmentList(request.envs, config);
  checkEnvironments(request.tenant, envs, config);
  const apps = pairsOf(request.apps, 'app', 'web:nodejs').map(([name, stack]) => ({name: checkAppName(name), stack: checkStackName(stack, config.templateDirs)}));
  const databases = pairsOf(request.dbs, 'db', 'orders:postgresql').map(([name, engine]) => ({name: checkDbName(name), engine: findEngine(engine).name}));
  const twice = [...apps, ...databases].map((entry) => entry.name).find((name, index, names) => names.indexOf(name) !== index);
  if (twice) throw usageError(`"${twice}" is named twice among --app and --db.`, 'give every app and database its own name: they share the namespace.');
  return {
    apiVersion: 'gshift.io/v1alpha1',
    kind: 'Tenant',
    metadata: {name: request.tenant},
    spec: {
      environments: envs.map((name) => ({name})),
      // An only database is attached to every app: the usual start (DATABASE_URL and friends).
      ...(apps.length > 0 ? {apps: apps.map((app) => (databases.length === 1 ? {...app, databases: [databases[0]!.name]} : app))} : {}),
      ...(databases.length > 0 ? {databases} : {}),
    },
  };
}

/** A database stack given as an app (--app orders:postgresql) is refused, pointing to --db: databases have one code path. */
export async function refuseDatabaseStacks(content: TenantFile, templateDirs: readonly string[]): Promise<void> {
  const {findDatabaseStack} = await import('../app/database-stack.js');
  for (const app of content.spec.apps ?? []) {
    const database = await findDatabaseStack(app.stack, templateDirs);
    if (!database) continue;
    throw usageError(
      `--app ${app.name}:${app.stack} names a database stack; databases are declared with --db.`,
      database.engine ? `pass --db ${app.name}:${database.engine.name} instead.` : `pass --db ${app.name}:ENGINE with one of ${ENGINE_NAMES.join(', ')}.`,
      {app: app.name, stack: app.stack},
    );
  }
}

/** How the file names the schema: beside it in node_modules when the package is installed there, else where this gshift has it. */
export function schemaReference(file: string): string {
  const path = relative(dirname(resolve(file)), SCHEMA_FILE);
  return path.startsWith('..') || isAbsolute(path) ? SCHEMA_FILE : `./${path}`;
}

const HEADER = [
  '# gshift.yaml: this tenant, its environments, apps, databases and certificates in one file.',
  '# gshift up makes the cluster hold it; gshift diff shows where the cluster differs (exit 14).',
];

/** The file's text: the schema line, a short header, the content. */
export function fileText(content: TenantFile, file: string, notes: readonly string[] = []): string {
  return [`# yaml-language-server: $schema=${schemaReference(file)}`, ...HEADER, ...notes.map((note) => `# ${note}`), toYaml(content).trimEnd(), ''].join('\n');
}

/** Writes the file; an existing one only with force. */
export function writeTenantFile(file: string, text: string, options: {force?: boolean}): void {
  if (existsSync(file) && !options.force) throw usageError(`${file} already exists.`, 'pass --force to replace it, or --file to write another file.', {file});
  writeFileSync(file, text);
}
