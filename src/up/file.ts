import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {usageError} from '../errors.js';
import {type JsonSchema, type Path, type SchemaProblem, checkAgainstSchema} from './schema-check.js';

/**
 * gshift.yaml (apiVersion gshift.io/v1alpha1, kind Tenant): one file for a whole tenant. Read
 * and checked whole before anything is done: every problem at once, each with file:line:column.
 */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema/gshift.schema.json', import.meta.url));

export interface AppEntry {
  name: string;
  stack: string;
  environments?: string[];
  databases?: string[];
  autoscaling?: {min: number; max: number; cpu?: number; memory?: number};
  [field: string]: unknown;
}

export interface TenantFile {
  apiVersion: 'gshift.io/v1alpha1';
  kind: 'Tenant';
  metadata: {name: string};
  spec: {
    quota?: string;
    groups?: {admins?: string[]; developers?: string[]; viewers?: string[]};
    ciAccount?: boolean;
    environments: {name: string; ha?: boolean; apps?: Record<string, Record<string, unknown>>; databases?: Record<string, Record<string, unknown>>}[];
    apps?: AppEntry[];
    databases?: {name: string; engine: string; [field: string]: unknown}[];
    certificates?: {name: string; app: string; host: string; files?: unknown; issuer?: string; clusterIssuer?: string}[];
  };
}

export interface FileProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export const formatProblem = (problem: FileProblem) => `${problem.file}:${problem.line}:${problem.column}: ${problem.path ? `${problem.path} ` : ''}${problem.message}`;

let schema: JsonSchema | undefined;
export function tenantFileSchema(): JsonSchema {
  schema ??= JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as JsonSchema;
  return schema;
}

/** Reads and checks a gshift.yaml; a file that is not valid throws one USAGE error listing every problem. */
export async function readTenantFile(file: string, options: {knownStacks: readonly string[]}): Promise<TenantFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`, 'pass -f with your gshift.yaml, or write one with gshift init.');
  }
  const {parsed, problems} = await checkTenantFile(text, {file, knownStacks: options.knownStacks});
  if (problems.length > 0) {
    throw usageError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join('\n')}`, 'fix them and run the command again.', {problems});
  }
  return parsed as TenantFile;
}

/** Every problem in the text: YAML syntax, the schema, then what the schema cannot say. */
export async function checkTenantFile(text: string, options: {file: string; knownStacks: readonly string[]}): Promise<{parsed: unknown; problems: FileProblem[]}> {
  const {LineCounter, parseDocument} = await import('yaml');
  const lines = new LineCounter();
  const document = parseDocument(text, {lineCounter: lines, prettyErrors: false});
  const at = (offset: number, path: Path, message: string): FileProblem => {
    const {line, col} = lines.linePos(offset);
    return {file: options.file, line, column: col, path: formatPath(path), message};
  };
  if (document.errors.length > 0) return {parsed: undefined, problems: document.errors.map((error) => at(error.pos[0], [], error.message.split('\n')[0]!))};
  const parsed = document.toJS() as unknown;
  // A problem with a field points at its key; one with a list entry at the entry.
  const locate = (path: Path, atKey = false): number => {
    const last = path.at(-1);
    if (atKey && typeof last === 'string') {
      const parent = document.getIn(path.slice(0, -1), true) as {items?: {key?: {value?: unknown; range?: [number, number, number]}}[]} | undefined;
      const pair = parent?.items?.find((item) => item.key?.value === last);
      if (pair?.key?.range) return pair.key.range[0];
    }
    for (let length = path.length; length >= 0; length--) {
      const node = document.getIn(path.slice(0, length), true) as {range?: [number, number, number]} | undefined;
      if (node?.range) return node.range[0];
    }
    return 0;
  };
  const problems = [...checkAgainstSchema(tenantFileSchema(), parsed), ...(isObject(parsed) ? crossChecks(parsed as unknown as TenantFile, options.knownStacks) : [])];
  return {parsed, problems: problems.map((problem) => at(locate(problem.path, problem.atKey), problem.path, problem.message)).sort((a, b) => a.line - b.line || a.column - b.column)};
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function formatPath(path: Path): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** What a JSON Schema cannot say: names unique, references declared, stacks known. */
function crossChecks(file: TenantFile, knownStacks: readonly string[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const spec = isObject(file.spec) ? file.spec : ({} as TenantFile['spec']);
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  const names = (entries: {name?: unknown}[], field: string) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      if (typeof entry?.name !== 'string') return;
      if (seen.has(entry.name)) problems.push({path: ['spec', field, index, 'name'], message: `"${entry.name}" is declared twice (also at ${field}[${seen.get(entry.name)}])`});
      else seen.set(entry.name, index);
    });
    return new Set(seen.keys());
  };
  const environments = names(list(spec.environments), 'environments');
  const apps = names(list(spec.apps), 'apps');
  const databases = names(list(spec.databases), 'databases');
  names(list(spec.certificates), 'certificates');
  list(spec.apps).forEach((app, index) => {
    if (typeof app?.stack === 'string' && !knownStacks.includes(app.stack)) problems.push({path: ['spec', 'apps', index, 'stack'], message: `there is no stack "${app.stack}" (stacks: ${knownStacks.join(', ')})`});
    list(app?.environments).forEach((env, at) => {
      if (!environments.has(env)) problems.push({path: ['spec', 'apps', index, 'environments', at], message: `the tenant has no environment "${env}" (environments: ${[...environments].join(', ')})`});
    });
    list(app?.databases).forEach((db, at) => {
      if (!databases.has(db)) problems.push({path: ['spec', 'apps', index, 'databases', at], message: `the database "${db}" is not declared under spec.databases`});
    });
    if (app?.autoscaling && app.autoscaling.min > app.autoscaling.max) problems.push({path: ['spec', 'apps', index, 'autoscaling', 'min'], message: `min ${app.autoscaling.min} is above max ${app.autoscaling.max}`});
  });
  list(spec.environments).forEach((env, index) => {
    for (const name of Object.keys(isObject(env?.apps) ? env.apps : {})) {
      if (!apps.has(name)) problems.push({path: ['spec', 'environments', index, 'apps', name], message: `overrides the app "${name}", which spec.apps does not declare`, atKey: true});
    }
    for (const name of Object.keys(isObject(env?.databases) ? env.databases : {})) {
      if (!databases.has(name)) problems.push({path: ['spec', 'environments', index, 'databases', name], message: `overrides the database "${name}", which spec.databases does not declare`, atKey: true});
    }
  });
  list(spec.certificates).forEach((certificate, index) => {
    if (typeof certificate?.app === 'string' && !apps.has(certificate.app)) problems.push({path: ['spec', 'certificates', index, 'app'], message: `the app "${certificate.app}" is not declared under spec.apps`});
    const sources = [certificate?.files, certificate?.issuer, certificate?.clusterIssuer].filter((source) => source !== undefined).length;
    if (sources !== 1) problems.push({path: ['spec', 'certificates', index], message: 'needs exactly one of files, issuer or clusterIssuer'});
  });
  return problems;
}

/** Where a file given as relative (a certificate's files) is read from: beside gshift.yaml. */
export function besideFile(file: string, relative: string): string {
  return join(dirname(file), relative);
}
