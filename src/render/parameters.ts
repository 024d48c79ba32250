import {usageError} from '../errors.js';
import {generateValue} from './generate.js';
import type {TemplateParameter} from './template.js';

/** A parameter after processing: its final value and where that value came from. */
export interface ResolvedParameter {
  name: string;
  value: string;
  source: 'given' | 'default' | 'generated' | 'empty';
  displayName?: string;
  description?: string;
  required: boolean;
}

const NAME = /^[a-zA-Z0-9_]+$/;

/**
 * Parses `-p NAME=VALUE` arguments (split at the first `=`, so values may contain `=`).
 * Giving one name twice is an error, as in `oc process`.
 */
export function parseParameterAssignments(assignments: readonly string[], flag = '-p'): Map<string, string> {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const name = equals === -1 ? assignment : assignment.slice(0, equals);
    if (equals === -1 || !NAME.test(name)) {
      throw usageError(`${flag} ${JSON.stringify(assignment)} is not NAME=VALUE.`, `write ${flag} NAME=VALUE, with a NAME of letters, digits and underscores.`);
    }
    if (values.has(name)) repeated.add(name);
    values.set(name, assignment.slice(equals + 1));
  }
  if (repeated.size > 0) {
    const names = [...repeated].sort().join(', ');
    throw usageError(`The parameter${repeated.size > 1 ? 's' : ''} ${names} ${repeated.size > 1 ? 'were' : 'was'} given more than once.`, `pass each parameter once: ${flag} NAME=VALUE.`);
  }
  return values;
}

/**
 * Parses a --param-file in the dotenv format oc reads: `NAME=VALUE` lines, `#` comments, an
 * optional `export `, and values in single quotes (literal) or double quotes (with \n escapes).
 */
export function parseParameterFile(text: string, source: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([a-zA-Z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!match) throw usageError(`${source}:${index + 1} is not NAME=VALUE.`, 'write one NAME=VALUE per line; lines starting with # are comments.');
    values.set(match[1]!, unquote(match[2]!));
  }
  return values;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character === 'r' ? '\r' : character));
  }
  return value.replace(/\s+#.*$/, '');
}

/**
 * Combines -p values with --param-file values: -p wins, and each value it overrides is reported
 * so the command can warn (oc does the same).
 */
export function combineParameterValues(given: ReadonlyMap<string, string>, files: {source: string; values: ReadonlyMap<string, string>}[]): {values: Map<string, string>; overridden: string[]} {
  const values = new Map(given);
  const overridden: string[] = [];
  for (const file of files) {
    for (const [name, value] of file.values) {
      if (values.has(name)) overridden.push(`Parameter ${name} is already set, so its value in ${file.source} is ignored.`);
      else values.set(name, value);
    }
  }
  return {values, overridden};
}

/**
 * Gives every parameter its value: what the user gave, else the template's value, else a
 * generated one. Reports every missing required parameter and every unknown name at once.
 */
export function resolveParameters(
  parameters: readonly TemplateParameter[],
  given: ReadonlyMap<string, string>,
  options: {ignoreUnknown?: boolean; templateName?: string} = {},
): ResolvedParameter[] {
  const what = options.templateName ? `template ${options.templateName}` : 'the template';
  if (!options.ignoreUnknown) {
    const known = new Set(parameters.map((parameter) => parameter.name));
    const unknown = [...given.keys()].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const list = [...known].join(', ') || 'none';
      throw usageError(`${what[0]!.toUpperCase()}${what.slice(1)} has no parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}.`, `use one of its parameters (${list}), or pass --ignore-unknown-parameters.`, {
        unknown,
      });
    }
  }
  const missing: string[] = [];
  const resolved = parameters.map((parameter): ResolvedParameter => {
    const required = parameter.required === true;
    const base = {name: parameter.name, required, ...(parameter.displayName ? {displayName: parameter.displayName} : {}), ...(parameter.description ? {description: parameter.description} : {})};
    const userValue = given.get(parameter.name);
    // A value given by the user replaces generation, even an empty one (oc clears `generate`).
    if (userValue !== undefined) {
      if (userValue === '' && required) missing.push(parameter.name);
      return {...base, value: userValue, source: 'given'};
    }
    if (parameter.value) return {...base, value: parameter.value, source: 'default'};
    if (parameter.generate === 'expression' && parameter.from) {
      return {...base, value: generateValue(parameter.from, `parameter ${parameter.name}`), source: 'generated'};
    }
    if (required) missing.push(parameter.name);
    return {...base, value: '', source: 'empty'};
  });
  if (missing.length > 0) {
    throw usageError(`${what[0]!.toUpperCase()}${what.slice(1)} needs a value for the required parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, `pass -p ${missing[0]}=VALUE for each required parameter.`, {missing});
  }
  return resolved;
}
