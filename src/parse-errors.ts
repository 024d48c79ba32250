// oclif's parse failures, each turned into one sentence and a hint by what oclif knows about it
// (the error's class and the fields it carries, the command's flag definitions), not by reading
// oclif's message text back.
import {closestWord} from './core/did-you-mean.js';
import {GshiftError} from './errors.js';

const HELP_HINT = 'run the command with --help to see its flags and arguments.';

type FlagDefinition = {name: string; char?: string; aliases?: string[]; charAliases?: string[]; options?: readonly string[]; env?: string; required?: boolean; type?: string};
type FlagDefinitions = Record<string, FlagDefinition>;

/** What the command knows when a parse fails: its flags and the raw command line. */
export interface ParseContext {
  flags: FlagDefinitions;
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/** The parse error classes oclif throws (its parser module does not export them to check with instanceof). */
const PARSE_ERRORS = new Set([
  'CLIParseError', 'RequiredArgsError', 'UnexpectedArgsError', 'NonExistentFlagsError', 'FlagInvalidOptionError',
  'ArgInvalidOptionError', 'FailedFlagValidationError', 'ViolatedFlagConstraintError', 'InvalidArgsSpecError',
]);

export function isParseError(error: unknown): boolean {
  return PARSE_ERRORS.has((error as object | undefined)?.constructor?.name ?? '');
}

type ParseFailure = Error & {
  args?: Array<{name?: string} | string>;
  flags?: string[];
  parse?: {input?: {flags?: FlagDefinitions}; output?: {flags?: Record<string, unknown>}};
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const usage = (message: string, hint = HELP_HINT, details?: Record<string, unknown>) => new GshiftError('USAGE', sentence(message), {hint, details});
// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** One usage error for whatever oclif's parser threw. */
export function fromParseError(error: ParseFailure, context: ParseContext): GshiftError {
  const flags = {...context.flags, ...error.parse?.input?.flags};
  switch (error.constructor.name) {
    case 'RequiredArgsError': {
      const names = (error.args ?? []).map((arg) => (typeof arg === 'string' ? arg : arg.name ?? '').toUpperCase()).filter(Boolean);
      return usage(`Missing the required argument${names.length > 1 ? 's' : ''} ${names.join(' and ')}`);
    }
    case 'UnexpectedArgsError': {
      const extra = (error.args ?? []).map(String);
      return usage(`Unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(', ')}`, 'quote a value that contains spaces, or run the command with --help to see its arguments.');
    }
    case 'NonExistentFlagsError':
      return unknownFlags(error.flags ?? [], flags);
    case 'FlagInvalidOptionError':
      return invalidOption(context, flags) ?? usage(plain(error.message).split('\n')[0]!);
    case 'FailedFlagValidationError':
    case 'ViolatedFlagConstraintError':
      return failedValidation(error, flags);
    default:
      return usage(plain(error.message).split('\n')[0]!);
  }
}

/** "Nonexistent flag: --stak" with the flag the user most likely meant. */
function unknownFlags(typed: readonly string[], flags: FlagDefinitions): GshiftError {
  const known = Object.values(flags).flatMap((flag) => [flag.name, ...(flag.aliases ?? [])]);
  const suggestions = typed.map((flag) => ({typed: flag, meant: closestWord(flag.replace(/^-+/, '').split('=')[0]!, known)}));
  const first = suggestions.find((entry) => entry.meant);
  const list = typed.join(', ');
  if (!first) return usage(`Nonexistent flag${typed.length > 1 ? 's' : ''}: ${list}`, HELP_HINT, {flags: typed});
  return usage(`Nonexistent flag${typed.length > 1 ? 's' : ''}: ${list}; did you mean --${first.meant}?`, `use --${first.meant}, or run the command with --help to see its flags.`, {
    flags: typed,
    suggestion: `--${first.meant}`,
  });
}

/** The option flag whose value (from the command line, else its GSHIFT_ twin) is not one of its options. */
function invalidOption(context: ParseContext, flags: FlagDefinitions): GshiftError | undefined {
  const env = context.env ?? process.env;
  for (const flag of Object.values(flags)) {
    if (!flag.options) continue;
    const given = valuesOf(flag, context.argv);
    const fromEnv = given.length === 0 && flag.env ? env[flag.env] : undefined;
    const wrong = [...given, ...(fromEnv === undefined ? [] : [fromEnv])].find((value) => !flag.options!.includes(value));
    if (wrong === undefined) continue;
    const allowed = flag.options.join(', ');
    return usage(
      `--${flag.name} must be one of ${allowed}, not "${wrong}"`,
      fromEnv === wrong ? `pass --${flag.name} with one of: ${allowed}, or unset ${flag.env} (it is "${wrong}").` : `pass --${flag.name} with one of: ${allowed}.`,
    );
  }
  return undefined;
}

/** The values given for a flag on the command line: --name=v, --name v, -c v and -cv. */
export function valuesOf(flag: FlagDefinition, argv: readonly string[]): string[] {
  const longs = [flag.name, ...(flag.aliases ?? [])].map((name) => `--${name}`);
  const shorts = [flag.char, ...(flag.charAliases ?? [])].filter(Boolean).map((char) => `-${char}`);
  const values: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === '--') break;
    if (longs.includes(token) || shorts.includes(token)) {
      if (index + 1 < argv.length) values.push(argv[++index]!);
    } else {
      const long = longs.find((name) => token.startsWith(`${name}=`));
      if (long) values.push(token.slice(long.length + 1));
      const short = shorts.find((name) => token.startsWith(name) && token.length > name.length && !token.startsWith('--'));
      if (short) values.push(token.slice(short.length).replace(/^=/, ''));
    }
  }
  return values;
}

/** Required flags left out, named from the definitions; any other failed rule in oclif's own words. */
function failedValidation(error: ParseFailure, flags: FlagDefinitions): GshiftError {
  const parsed = error.parse?.output?.flags ?? {};
  const missing = Object.values(flags).filter((flag) => flag.required && parsed[flag.name] === undefined).map((flag) => `--${flag.name}`);
  // oclif lists one reason per line under a heading line.
  const reasons = plain(error.message).split('\n').slice(1).map((line) => line.trim()).filter((line) => line && !line.startsWith('See more help'));
  const others = reasons.filter((reason) => !missing.some((flag) => reason === `Missing required flag ${flag.slice(2)}`));
  if (missing.length > 0 && others.length === 0) {
    return usage(`Missing the required flag${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`, `pass ${missing.join(' and ')}, or run the command with --help.`);
  }
  return usage((reasons.length > 0 ? reasons : [plain(error.message)]).map((reason) => reason.replace(/\.$/, '')).join('; '));
}
