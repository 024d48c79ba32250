import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';

import {shippedPath} from '../core/package-files.js';
import {usageError} from '../errors.js';
import {crossChecks, isObject} from './cross-checks.js';
import type {TenantFile} from './tenant-file.js';
import {type JsonSchema, type Path, type SchemaProblem, checkAgainstSchema} from './schema-check.js';

/**
 * gshift.yaml (apiVersion gshift.io/v1alpha1, kind Tenant): one file for a whole tenant. Read
 * and checked whole before anything is done: every problem at once, each with file:line:column.
 */
export const SCHEMA_FILE = shippedPath('schema', 'gshift.schema.json');

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

export interface CheckOptions {
  knownStacks: readonly string[];
  /**
   * Checks that need more than the file (the config, the catalogue's templates: see
   * platform-checks.ts), given the entries that passed the schema: `accepted(path)` is false for
   * a path at or under a problem already found.
   */
  more?: (file: TenantFile, accepted: (path: Path) => boolean) => SchemaProblem[] | Promise<SchemaProblem[]>;
}

/** Reads and checks a gshift.yaml; a file that is not valid throws one USAGE error listing every problem. */
export async function readTenantFile(file: string, options: CheckOptions): Promise<TenantFile> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`, 'pass -f with your gshift.yaml, or write one with gshift init.');
  }
  const {parsed, problems} = await checkTenantFile(text, {...options, file});
  if (problems.length > 0) {
    throw usageError(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  ${formatProblem(problem)}`).join('\n')}`, 'fix them and run the command again.', {problems});
  }
  return parsed as TenantFile;
}

/** Every problem in the text: YAML syntax, the schema, then what the schema cannot say. */
export async function checkTenantFile(text: string, options: CheckOptions & {file: string}): Promise<{parsed: unknown; problems: FileProblem[]}> {
  const {LineCounter, parseDocument} = (await import('yaml')).default;
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
  if (options.more && isObject(parsed)) {
    const found = problems.map((problem) => formatPath(problem.path));
    const accepted = (path: Path) => {
      const text = formatPath(path);
      return !found.some((other) => other === text || other.startsWith(`${text}.`) || other.startsWith(`${text}[`) || text.startsWith(`${other}.`) || text.startsWith(`${other}[`));
    };
    problems.push(...(await options.more(parsed as unknown as TenantFile, accepted)));
  }
  return {parsed, problems: problems.map((problem) => at(locate(problem.path, problem.atKey), problem.path, problem.message)).sort((a, b) => a.line - b.line || a.column - b.column)};
}


export function formatPath(path: Path): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/** Where a file given as relative (a certificate's files) is read from: beside gshift.yaml. */
export function besideFile(file: string, relative: string): string {
  return join(dirname(file), relative);
}
