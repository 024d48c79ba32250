import {readFile} from 'node:fs/promises';

import {notFoundError, usageError} from '../errors.js';
import {readParsed, writeParsed} from './parse-cache.js';

/** A Kubernetes object as it appears in a template or a manifest: plain parsed JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface TemplateParameter {
  name: string;
  displayName?: string;
  description?: string;
  value?: string;
  generate?: string;
  from?: string;
  required?: boolean;
}

/** An OpenShift Template (template.openshift.io/v1), after its structure has been checked. */
export interface OpenShiftTemplate {
  apiVersion: string;
  kind: 'Template';
  metadata: {name?: string; annotations?: Record<string, string>; [field: string]: unknown};
  message?: string;
  objects: KubeObject[];
  parameters: TemplateParameter[];
  labels?: Record<string, string>;
}

/** Where a template came from, for error messages: a file path, or a label like "stdin". */
export interface TemplateSource {
  source: string;
  /** The original text, so an error can name the line of the offending path. */
  text?: string;
}

const PARAMETER_NAME = /^[a-zA-Z0-9_]+$/;
const API_VERSIONS = new Set(['template.openshift.io/v1', 'v1']);
type Path = (string | number)[];

/** Parses template text (JSON or YAML) and checks its structure; errors name the file and line. */
export async function parseTemplate(text: string, source: string): Promise<OpenShiftTemplate> {
  const raw = await parseDocumentText(text, source);
  return checkTemplate(raw, {source, text});
}

/** Reads and parses a template file. */
export async function readTemplateFile(path: string): Promise<OpenShiftTemplate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFoundError(`There is no template file ${path}.`, 'check the path, or run `gshift template list` for template names.');
    throw usageError(`Cannot read template file ${path}: ${(error as Error).message}.`, 'check that the file is readable.');
  }
  return parseTemplate(text, path);
}

/**
 * JSON goes through JSON.parse (fast, and what most OpenShift templates are); anything else
 * through the YAML 1.2 core schema, which never turns `yes` or `on` into booleans.
 */
export async function parseDocumentText(text: string, source: string): Promise<unknown> {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      // Node's message has no line; the YAML parser (JSON is YAML) finds it.
      const failure = await firstYamlError(text);
      const reason = failure?.reason ?? (error as Error).message.split(/, "|\n/)[0];
      throw usageError(`${source}${failure?.line ? `:${failure.line}` : ''} is not valid JSON: ${reason}.`, 'fix the JSON syntax at that line.');
    }
  }
  const cached = readParsed(text);
  if (cached !== undefined) return cached;
  const {parseAllDocuments} = (await import('yaml')).default;
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const failure = list.flatMap((document) => document.errors)[0];
  if (failure) {
    const line = failure.linePos?.[0]?.line;
    throw usageError(`${source}${line ? `:${line}` : ''} is not valid YAML: ${cleanReason(failure.message)}.`, 'fix the YAML syntax at that line.');
  }
  const contents = list.filter((document) => document.contents !== null);
  if (contents.length !== 1) {
    throw usageError(`${source} holds ${contents.length} YAML documents, and a template is exactly one.`, 'keep one Template per file.');
  }
  const value = contents[0]!.toJS({maxAliasCount: 100});
  writeParsed(text, value);
  return value;
}

async function firstYamlError(text: string): Promise<{line?: number; reason: string} | undefined> {
  const {parseDocument} = (await import('yaml')).default;
  const failure = parseDocument(text).errors[0];
  return failure ? {line: failure.linePos?.[0]?.line, reason: cleanReason(failure.message)} : undefined;
}

/** The yaml package appends " at line L, column C:" and a code frame; the line is reported separately. */
function cleanReason(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

/** Checks that a parsed value is a Template; the error names the first offending path. */
export async function checkTemplate(raw: unknown, where: TemplateSource): Promise<OpenShiftTemplate> {
  const problem = findProblem(raw);
  if (problem) {
    const [path, message] = problem;
    const line = where.text ? await lineOf(where.text, path) : undefined;
    throw usageError(`${where.source}${line ? `:${line}` : ''}: ${formatPath(path)} ${message}.`, 'fix the template: see docs/templates.md for the format.', {
      source: where.source,
      path: formatPath(path),
      ...(line ? {line} : {}),
    });
  }
  const template = raw as OpenShiftTemplate;
  template.objects ??= [];
  template.parameters ??= [];
  return template;
}

function findProblem(raw: unknown): [Path, string] | undefined {
  if (!isRecord(raw)) return [[], 'must be a Template object'];
  if (raw.kind !== 'Template') return [['kind'], `must be "Template", not ${JSON.stringify(raw.kind)}`];
  if (!API_VERSIONS.has(raw.apiVersion as string)) return [['apiVersion'], `must be "template.openshift.io/v1", not ${JSON.stringify(raw.apiVersion)}`];
  if (raw.metadata !== undefined && !isRecord(raw.metadata)) return [['metadata'], 'must be a mapping'];
  if (raw.message !== undefined && typeof raw.message !== 'string') return [['message'], 'must be a string'];
  const labels = checkStringMap(raw.labels, ['labels']);
  if (labels) return labels;
  if (raw.objects !== undefined && !Array.isArray(raw.objects)) return [['objects'], 'must be a list of objects'];
  for (const [index, object] of ((raw.objects as unknown[]) ?? []).entries()) {
    const problem = objectProblem(object, ['objects', index]);
    if (problem) return problem;
  }
  if (raw.parameters !== undefined && !Array.isArray(raw.parameters)) return [['parameters'], 'must be a list of parameters'];
  const seen = new Map<string, number>();
  for (const [index, parameter] of ((raw.parameters as unknown[]) ?? []).entries()) {
    const problem = parameterProblem(parameter, ['parameters', index]);
    if (problem) return problem;
    const name = (parameter as TemplateParameter).name;
    if (seen.has(name)) return [['parameters', index, 'name'], `duplicates parameter ${name} (already defined at parameters[${seen.get(name)}])`];
    seen.set(name, index);
  }
  return undefined;
}

function objectProblem(object: unknown, path: Path): [Path, string] | undefined {
  if (!isRecord(object)) return [path, 'must be a Kubernetes object (a mapping)'];
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') return [[...path, 'apiVersion'], 'must be set'];
  if (typeof object.kind !== 'string' || object.kind === '') return [[...path, 'kind'], 'must be set'];
  if (object.metadata !== undefined && !isRecord(object.metadata)) return [[...path, 'metadata'], 'must be a mapping'];
  return undefined;
}

function parameterProblem(parameter: unknown, path: Path): [Path, string] | undefined {
  if (!isRecord(parameter)) return [path, 'must be a parameter (a mapping with a name)'];
  if (typeof parameter.name !== 'string' || !PARAMETER_NAME.test(parameter.name)) {
    return [[...path, 'name'], `must be letters, digits and underscores, not ${JSON.stringify(parameter.name)}`];
  }
  for (const field of ['value', 'displayName', 'description', 'generate', 'from'] as const) {
    if (parameter[field] !== undefined && typeof parameter[field] !== 'string') return [[...path, field], 'must be a string (quote it in YAML)'];
  }
  if (parameter.required !== undefined && typeof parameter.required !== 'boolean') return [[...path, 'required'], 'must be true or false'];
  if (parameter.generate !== undefined && parameter.generate !== '' && parameter.generate !== 'expression') {
    return [[...path, 'generate'], `names an unknown generator ${JSON.stringify(parameter.generate)} (the only one is "expression")`];
  }
  if (parameter.generate === 'expression' && !parameter.from) return [[...path, 'from'], 'must give the expression to generate from, e.g. "[a-zA-Z0-9]{16}"'];
  return undefined;
}

function checkStringMap(value: unknown, path: Path): [Path, string] | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return [path, 'must be a mapping of strings'];
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') return [[...path, key], 'must be a string (quote it in YAML)'];
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatPath(path: Path): string {
  if (path.length === 0) return 'the document';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : /^[\w-]+$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('');
}

/** The 1-based line of a path in JSON or YAML text; only computed when there is an error to report. */
async function lineOf(text: string, path: Path): Promise<number | undefined> {
  const {parseDocument, LineCounter, isNode} = (await import('yaml')).default;
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {lineCounter});
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
