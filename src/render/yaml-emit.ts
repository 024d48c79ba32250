/**
 * A small block-style YAML writer for JSON data, so printing manifests does not load a YAML
 * library (start-up time matters: `app create --dry-run` is the README's first command).
 *
 * Safety first: a string is written plain only when every YAML reader — including the YAML 1.1
 * one in kubectl, where `yes`, `on` and `0755` are not strings — reads it back as the same
 * string. Everything else is double-quoted with JSON escapes, which YAML shares.
 */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./@-]*(?::[A-Za-z0-9_./@-]+)*$/;
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
// JSON.stringify leaves these raw; YAML readers treat some as line breaks or reject them.
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

export function yamlString(text: string): string {
  if (PLAIN.test(text) && !RESERVED.test(text)) return text;
  return JSON.stringify(text).replace(UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return yamlString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  throw new TypeError(`cannot write ${typeof value} as YAML`);
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isEmpty = (value: object) => (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isCollection(item) && !isEmpty(item)) {
        const nested: string[] = [];
        lines(item, `${indent}  `, nested);
        out.push(`${indent}- ${nested[0]!.slice(indent.length + 2)}`, ...nested.slice(1));
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    if (isCollection(item) && !isEmpty(item)) {
      out.push(`${indent}${yamlString(key)}:`);
      lines(item, `${indent}  `, out);
    } else {
      out.push(`${indent}${yamlString(key)}: ${inline(item)}`);
    }
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (isCollection(value) && isEmpty(value)) return '{}';
  return scalar(value);
}

/** One YAML document for a JSON-compatible object or list. */
export function toYaml(value: object): string {
  if (isEmpty(value)) return `${inline(value)}\n`;
  const out: string[] = [];
  lines(value, '', out);
  return `${out.join('\n')}\n`;
}
