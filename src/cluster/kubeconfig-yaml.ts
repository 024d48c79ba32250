// Kubeconfig text to an object. Nearly every kubeconfig is what kubectl, oc or a cloud CLI wrote:
// block mappings and sequences of one-line scalars, `{}` and `[]`. Those are read here, with the
// result js-yaml would give (its core schema), for a fraction of js-yaml's cost on every cluster
// command (loading it and parsing a 6 KB kubeconfig: ≈20 ms of CPU on a busy machine). Anything
// else — flow collections, anchors, tags, block or multi-line scalars, numbers, timestamps,
// several documents — is handed to js-yaml, loaded only then (js-yaml rather than the yaml package
// the templates use: it loads in a fifth of the time).
import {createRequire} from 'node:module';

/** A construct the simple reader leaves to js-yaml. */
export const UNSUPPORTED = Symbol('unsupported');

interface Line {
  indent: number;
  text: string;
}

export function parseKubeconfigText(text: string): unknown {
  const simple = readSimpleYaml(text);
  if (simple !== UNSUPPORTED) return simple;
  const {load} = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml');
  return load(text);
}

/** The document, or UNSUPPORTED when it uses anything beyond the subset described above. */
export function readSimpleYaml(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const content = line.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    if (line.includes('\t')) return UNSUPPORTED;
    lines.push({indent: line.length - content.length, text: content.trimEnd()});
  }
  if (lines[0]?.text === '---') lines.shift();
  if (lines.length === 0 || lines.some((line) => line.text.startsWith('---') || line.text.startsWith('...') || line.text.startsWith('%'))) return UNSUPPORTED;
  try {
    const reader = new Reader(lines);
    const value = reader.node(lines[0]!.indent);
    return reader.done() ? value : UNSUPPORTED;
  } catch (error) {
    if (error === UNSUPPORTED) return UNSUPPORTED;
    throw error;
  }
}

class Reader {
  private at = 0;

  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.at === this.lines.length;
  }

  /** The block node whose first line is the current one, at `indent`. */
  node(indent: number): unknown {
    const line = this.lines[this.at]!;
    if (line.indent !== indent) throw UNSUPPORTED;
    if (isSequenceItem(line.text)) return this.sequence(indent);
    if (entryOf(line.text)) return this.mapping(indent);
    throw UNSUPPORTED;
  }

  private mapping(indent: number): Record<string, unknown> {
    const mapping: Record<string, unknown> = {};
    for (let line = this.lines[this.at]; line && line.indent === indent && !isSequenceItem(line.text); line = this.lines[this.at]) {
      const entry = entryOf(line.text);
      if (!entry || Object.hasOwn(mapping, entry.key)) throw UNSUPPORTED;
      this.at++;
      mapping[entry.key] = entry.rest === '' ? this.nested(indent, true) : scalar(entry.rest);
    }
    const next = this.lines[this.at];
    if (next && next.indent > indent) throw UNSUPPORTED;
    return mapping;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.lines[this.at]; line && line.indent === indent && isSequenceItem(line.text); line = this.lines[this.at]) {
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.at++;
        items.push(this.nested(indent, false));
      } else if (isSequenceItem(rest) || entryOf(rest)) {
        // "- key: value" or "- - item": a node that starts on the item's own line.
        this.lines[this.at] = {indent: indent + (line.text.length - rest.length), text: rest};
        items.push(this.node(this.lines[this.at]!.indent));
      } else {
        this.at++;
        items.push(scalar(rest));
      }
    }
    const next = this.lines[this.at];
    if (next && next.indent > indent) throw UNSUPPORTED;
    return items;
  }

  /** What follows "key:" or "-" with nothing after it: a deeper block, a sequence at the key's indent, or null. */
  private nested(indent: number, sequenceAtSameIndent: boolean): unknown {
    const next = this.lines[this.at];
    if (next && next.indent > indent) return this.node(next.indent);
    if (next && sequenceAtSameIndent && next.indent === indent && isSequenceItem(next.text)) return this.sequence(indent);
    return null;
  }
}

const isSequenceItem = (text: string) => text === '-' || text.startsWith('- ');

/** "key: rest" or "key:" with a plain key; undefined when the line is not a simple mapping entry. */
function entryOf(text: string): {key: string; rest: string} | undefined {
  for (let colon = text.indexOf(':'); colon > 0; colon = text.indexOf(':', colon + 1)) {
    if (colon + 1 < text.length && text[colon + 1] !== ' ') continue;
    const key = text.slice(0, colon);
    if (!isPlain(key) || key.endsWith(' ') || key === '__proto__' || typeof resolvePlain(key) !== 'string') throw UNSUPPORTED;
    return {key, rest: text.slice(colon + 1).trim()};
  }
  return undefined;
}

/** Characters a plain scalar may not start with, and sequences it may not contain. */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

function isPlain(text: string): boolean {
  if (text === '' || text.includes(' #') || text.includes(': ') || text.endsWith(':')) return false;
  // "-x" is a plain scalar; "- x" would be a sequence.
  if (INDICATORS.has(text[0]!) && !(text[0] === '-' && text.length > 1 && text[1] !== ' ')) return false;
  return true;
}

/** A one-line value after "key: " or "- ". */
function scalar(raw: string): unknown {
  const text = withoutComment(raw);
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith('"')) return doubleQuoted(text);
  if (text.startsWith("'")) return singleQuoted(text);
  if (!isPlain(text)) throw UNSUPPORTED;
  return resolvePlain(text);
}

/** A comment after a value (" #…"), outside quotes. */
function withoutComment(text: string): string {
  if (text.startsWith('"') || text.startsWith("'")) {
    const quote = text[0]!;
    let end = 1;
    while (end < text.length) {
      if (quote === '"' && text[end] === '\\') end += 2;
      else if (quote === "'" && text[end] === "'" && text[end + 1] === "'") end += 2;
      else if (text[end] === quote) break;
      else end++;
    }
    const after = text.slice(end + 1).trimStart();
    if (end >= text.length || (after !== '' && !after.startsWith('#'))) throw UNSUPPORTED;
    return text.slice(0, end + 1);
  }
  const comment = text.indexOf(' #');
  return comment < 0 ? text : text.slice(0, comment).trimEnd();
}

const INT = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;
const FLOAT = /^(?:[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** js-yaml's core schema: null, booleans; numbers are left to js-yaml (a kubeconfig has none). */
function resolvePlain(text: string): unknown {
  if (text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (INT.test(text) || FLOAT.test(text) || text === '<<') throw UNSUPPORTED;
  return text;
}

function singleQuoted(text: string): string {
  return text.slice(1, -1).replaceAll("''", "'");
}

const ESCAPES: Record<string, string> = {'\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0'};

function doubleQuoted(text: string): string {
  const body = text.slice(1, -1);
  let out = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const escape = body[++index];
    if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(index + 1, index + 5))) {
      out += String.fromCharCode(Number.parseInt(body.slice(index + 1, index + 5), 16));
      index += 4;
    } else if (escape !== undefined && escape in ESCAPES) out += ESCAPES[escape];
    else throw UNSUPPORTED;
  }
  return out;
}
