import {usageError} from '../errors.js';

/**
 * The `generate: expression` generator of OpenShift Templates: literal text with character
 * classes like `[a-zA-Z0-9]{16}` replaced by random characters.
 *
 * Two deliberate differences from oc: characters come from a cryptographic RNG (oc seeds
 * math/rand with the clock), and ranges include their last character (oc's `[0-9]` never
 * yields 9). The shorthands are the ones oc's generator uses:
 *   \w = [a-zA-Z0-9_]   \d = [0-9]   \a = [a-zA-Z0-9]   \A = punctuation and symbols
 * (OpenShift's documentation says \a is [a-zA-Z], but oc has always added the digits; a team's
 * template must generate here what it generates with oc.)
 */
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/** Range endpoints are looked up in this order, as oc does, so `[a-Z]` means every letter. */
const RANGE_ORDER = LOWER + UPPER + DIGITS;
const SHORTHANDS: Record<string, string> = {
  w: LOWER + UPPER + DIGITS + '_',
  d: DIGITS,
  a: LOWER + UPPER + DIGITS,
  A: '~!@#$%^&*()-_+={}[]\\|<,>.?/"\';:`',
};
const MAX_LENGTH = 255;

type Segment = string | {alphabet: string; length: number};

const compiled = new Map<string, Segment[]>();

/** Generates a value for an expression such as `user[A-Z0-9]{3}`. */
export function generateValue(expression: string, parameter = 'the parameter'): string {
  const segments = compileExpression(expression, parameter);
  // Loaded on first use: node:crypto costs start-up time that renders without secrets never need.
  const {randomInt} = process.getBuiltinModule('node:crypto');
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'string') {
      out += segment;
      continue;
    }
    for (let index = 0; index < segment.length; index++) out += segment.alphabet[randomInt(segment.alphabet.length)];
  }
  return out;
}

/** Parses an expression once; later calls reuse the result. Throws a usage error naming the problem. */
export function compileExpression(expression: string, parameter = 'the parameter'): Segment[] {
  const cached = compiled.get(expression);
  if (cached) return cached;
  const segments: Segment[] = [];
  const fail = (why: string) =>
    usageError(`The generator expression ${JSON.stringify(expression)} of ${parameter} is invalid: ${why}.`, 'write expressions like "[a-zA-Z0-9]{16}" or "user[A-Z0-9]{3}": a character class in [] followed by a length in {}.');
  let position = 0;
  while (position < expression.length) {
    const open = expression.indexOf('[', position);
    if (open === -1) {
      segments.push(expression.slice(position));
      break;
    }
    if (open > position) segments.push(expression.slice(position, open));
    const match = /^\[((?:\\.|[^\]\\])*)\]\{(\d+)\}/.exec(expression.slice(open));
    if (!match) throw fail(`the class at position ${open + 1} needs a closing ] followed by a length such as {8}`);
    const length = Number(match[2]);
    if (length < 1 || length > MAX_LENGTH) throw fail(`the length ${length} is outside 1..${MAX_LENGTH}`);
    segments.push({alphabet: alphabetOf(match[1]!, fail), length});
    position = open + match[0].length;
  }
  compiled.set(expression, segments);
  return segments;
}

function alphabetOf(body: string, fail: (why: string) => Error): string {
  if (body === '') throw fail('the character class [] is empty');
  const characters = new Set<string>();
  const add = (text: string) => {
    for (const character of text) characters.add(character);
  };
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (character === '\\') {
      const shorthand = SHORTHANDS[body[index + 1] ?? ''];
      if (!shorthand) throw fail(`\\${body[index + 1] ?? ''} is not one of \\w, \\d, \\a, \\A`);
      add(shorthand);
      index++;
      continue;
    }
    if (!/[a-zA-Z0-9]/.test(character)) throw fail(`${JSON.stringify(character)} cannot appear in a class (use letters, digits, ranges like a-z, or \\w \\d \\a \\A)`);
    if (body[index + 1] === '-' && index + 2 < body.length) {
      const last = body[index + 2]!;
      const from = RANGE_ORDER.indexOf(character);
      const to = RANGE_ORDER.indexOf(last);
      if (to === -1 || to < from) throw fail(`the range ${character}-${last} runs backwards or ends on a character that is not a letter or digit`);
      add(RANGE_ORDER.slice(from, to + 1));
      index += 2;
      continue;
    }
    if (body[index + 1] === '-') throw fail(`the range ${character}- has no end`);
    add(character);
  }
  return [...characters].join('');
}
