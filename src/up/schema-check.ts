import {isGshiftError} from '../errors.js';

/**
 * Checks a parsed value against the JSON Schema shipped in schema/gshift.schema.json (the one
 * editors use through the yaml-language-server line), so the file format has one definition.
 * Only the keywords that schema uses are understood: type, const, enum, properties, required,
 * additionalProperties, items, minItems, minLength, maxLength, pattern, minimum, maximum, $ref,
 * and anyOf whose alternatives differ by type (a value is checked against the one of its type).
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  anyOf?: JsonSchema[];
  description?: string;
  $defs?: Record<string, unknown>;
}

export type Path = (string | number)[];

export interface SchemaProblem {
  path: Path;
  message: string;
  /** The problem is the key itself (an unknown field), not its value. */
  atKey?: boolean;
}

/** A single command's error as a problem in the file: its sentence, where its flags are the file's fields. */
export const messageOf = (error: unknown): string =>
  (isGshiftError(error) ? error.sentence : error instanceof Error ? error.message : String(error)).replace(/\.$/, '').replace(/--(quota|schedule|min|max|cpu|memory|cert|key|ca|host|ha)\b/g, '$1');

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

function resolve(root: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  while (current.$ref) {
    const parts = current.$ref.replace(/^#\//, '').split('/');
    current = parts.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as JsonSchema;
  }
  return current;
}

export function checkAgainstSchema(root: JsonSchema, value: unknown, schema: JsonSchema = root, path: Path = []): SchemaProblem[] {
  const rule = resolve(root, schema);
  const problem = (message: string, at: Path = path): SchemaProblem[] => [{path: at, message}];
  if (rule.anyOf) {
    const alternatives = rule.anyOf.map((alternative) => resolve(root, alternative));
    const fitting = alternatives.find((alternative) => alternative.type === typeOf(value));
    if (!fitting) return problem(`must be ${alternatives.map((alternative) => typeName(alternative.type ?? 'object')).join(' or ')}, not ${typeName(typeOf(value))}`);
    return checkAgainstSchema(root, value, fitting, path);
  }
  if (rule.const !== undefined && value !== rule.const) return problem(`must be ${JSON.stringify(rule.const)}`);
  if (rule.enum && !rule.enum.includes(value)) return problem(`must be one of ${rule.enum.join(', ')}`);
  if (rule.type) {
    const actual = typeOf(value);
    const fits = actual === rule.type || (rule.type === 'number' && actual === 'integer');
    if (!fits) return problem(`must be ${typeName(rule.type)}, not ${actual === 'object' ? 'a mapping' : actual}`);
  }
  if (typeof value === 'string') return checkString(rule, value, path);
  if (typeof value === 'number') {
    if (rule.minimum !== undefined && value < rule.minimum) return problem(`must be at least ${rule.minimum}`);
    if (rule.maximum !== undefined && value > rule.maximum) return problem(`must be at most ${rule.maximum}`);
    return [];
  }
  if (Array.isArray(value)) {
    if (rule.minItems !== undefined && value.length < rule.minItems) return problem(`needs at least ${rule.minItems} entr${rule.minItems === 1 ? 'y' : 'ies'}`);
    return rule.items ? value.flatMap((item, index) => checkAgainstSchema(root, item, rule.items, [...path, index])) : [];
  }
  if (value !== null && typeof value === 'object') return checkObject(root, rule, value as Record<string, unknown>, path);
  return [];
}

function typeName(type: string): string {
  if (type === 'integer') return 'a whole number';
  if (type === 'object') return 'a mapping';
  return `a${/^[ao]/.test(type) ? 'n' : ''} ${type}`;
}

function checkString(rule: JsonSchema, value: string, path: Path): SchemaProblem[] {
  if (rule.minLength !== undefined && value.length < rule.minLength) return [{path, message: 'must not be empty'}];
  if (rule.maxLength !== undefined && value.length > rule.maxLength) return [{path, message: `has ${value.length} characters and the limit is ${rule.maxLength}`}];
  if (rule.pattern && !new RegExp(rule.pattern).test(value)) return [{path, message: rule.description ? `is not ${rule.description.replace(/\.$/, '').replace(/^A /, 'a ')}` : `does not match ${rule.pattern}`}];
  return [];
}

function checkObject(root: JsonSchema, rule: JsonSchema, value: Record<string, unknown>, path: Path): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const key of rule.required ?? []) {
    if (!(key in value)) problems.push({path, message: `needs "${key}"`});
  }
  const known = Object.keys(rule.properties ?? {});
  for (const [key, item] of Object.entries(value)) {
    const property = rule.properties?.[key];
    if (property) problems.push(...checkAgainstSchema(root, item, property, [...path, key]));
    else if (rule.additionalProperties === false) problems.push({path: [...path, key], message: `"${key}" is not a field here${known.length ? ` (fields: ${known.join(', ')})` : ''}`, atKey: true});
    else if (typeof rule.additionalProperties === 'object') problems.push(...checkAgainstSchema(root, item, rule.additionalProperties, [...path, key]));
  }
  return problems;
}
