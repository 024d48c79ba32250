import {Command, Flags, type Interfaces} from '@oclif/core';

import {EXIT_CODES, GshiftError, isGshiftError} from './errors.js';
import {errorEnvelope, successEnvelope} from './ui/json.js';
import {renderError} from './ui/error-view.js';
import {writeErr, writeOut} from './ui/terminal.js';

export type ParsedFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof GshiftCommand)['baseFlags'] & T['flags']>;

/**
 * What every gshift command shares: --json with one result and one error shape, errors mapped
 * to a message, a hint and a distinct exit code, warnings on stderr, and Ctrl-C as exit 130.
 */
export abstract class GshiftCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    debug: Flags.boolean({
      description: 'Print stack traces and API details when something fails.',
      env: 'GSHIFT_DEBUG',
      helpGroup: 'GLOBAL',
    }),
  };

  private readonly warnings: string[] = [];
  /** Set by commands that write, so an interrupted run says what it already did. */
  protected interruptedSummary?: () => string | undefined;
  private readonly onSigint = () => this.interrupted();

  override async init(): Promise<void> {
    await super.init();
    process.once('SIGINT', this.onSigint);
  }

  override async finally(error: Error | undefined): Promise<void> {
    process.removeListener('SIGINT', this.onSigint);
    await super.finally(error);
  }

  /** Human output on stdout; suppressed in --json mode, where the returned result is printed instead. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) writeOut(text);
  }

  /** Progress and notes on stderr, in every mode: stdout stays parseable. */
  protected note(text: string): void {
    writeErr(text);
  }

  /** A warning: printed on stderr now and listed in the --json envelope. */
  protected warnUser(text: string): void {
    this.warnings.push(text);
    writeErr(`Warning: ${text}`);
  }

  protected override toSuccessJson(result: unknown): unknown {
    return successEnvelope(this.id ?? '', result, this.warnings);
  }

  protected override toErrorJson(error: unknown): unknown {
    return errorEnvelope(this.id ?? '', toGshiftError(error), this.warnings);
  }

  override logJson(json: unknown): void {
    writeOut(JSON.stringify(json, null, 2));
  }

  override async catch(error: Error & {oclif?: {exit?: number}}): Promise<void> {
    // `this.exit(n)` and oclif's own help/version exits travel as errors: let them through.
    if (error?.constructor?.name === 'ExitError') throw error;
    const failure = toGshiftError(error);
    process.exitCode = failure.exitCode;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(failure));
    } else {
      writeErr(await renderError(failure, {debug: this.debugRequested(), original: error}));
    }
  }

  private debugRequested(): boolean {
    return this.argv.includes('--debug') || Boolean(process.env.GSHIFT_DEBUG) || Boolean(process.env.DEBUG);
  }

  private interrupted(): void {
    const summary = this.interruptedSummary?.();
    const failure = new GshiftError('INTERRUPTED', `Interrupted${summary ? `: ${summary}` : '.'}`, {
      hint: summary ? 'run the same command again to finish: it converges from where it stopped.' : undefined,
    });
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(failure));
    else writeErr(`\n${failure.message}${failure.hint ? `\nTry: ${failure.hint}` : ''}`);
    process.exit(EXIT_CODES.INTERRUPTED);
  }
}

/** Turns whatever was thrown into a GshiftError: oclif's parse errors are usage errors, the rest bugs. */
export function toGshiftError(error: unknown, env: NodeJS.ProcessEnv = process.env): GshiftError {
  if (isGshiftError(error)) return withoutParseWrapper(error);
  const oclifExit = (error as {oclif?: {exit?: number}})?.oclif?.exit;
  const message = error instanceof Error ? error.message : String(error);
  if (oclifExit === 2 || /^(Missing|Unexpected|Expected|Nonexistent flag|Parsing --|The following errors? occurred)/m.test(message)) {
    return parseFailure(message, env);
  }
  return new GshiftError('INTERNAL', `gshift hit an unexpected error: ${message}`, {
    hint: 'run again with --debug and report the output as a gshift bug.',
    cause: error,
  });
}

const HELP_HINT = 'run the command with --help to see its flags and arguments.';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g;
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** oclif's text without colour codes and without its "See more help with --help" line. */
function plainParseText(message: string): string {
  return message.replace(ANSI, '').replace(/\s*See more help with --help\s*$/, '').trim();
}

/**
 * oclif rewrites the message of an error a flag's parser throws to "Parsing --flag \n\t<message>";
 * gshift's own sentence and hint are what the user should read, with the flag named up front.
 */
function withoutParseWrapper(error: GshiftError): GshiftError {
  const wrapped = /^Parsing --(\S+)\s*\n\t([\s\S]*)$/.exec(plainParseText(error.message));
  if (!wrapped) return error;
  return new GshiftError(error.code, `--${wrapped[1]}: ${wrapped[2]!.trim()}`, {hint: error.hint, details: error.details, cause: error.cause});
}

/** One sentence for each kind of oclif parse failure, keeping every name and reason it gives. */
function parseFailure(message: string, env: NodeJS.ProcessEnv): GshiftError {
  const text = plainParseText(message);
  const [first = text, ...rest] = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const usage = (said: string, hint = HELP_HINT) => new GshiftError('USAGE', sentence(said), {hint});

  // A flag's own parser failed: "Parsing --port" and then its reason.
  const parsing = /^Parsing --(\S+)$/.exec(first);
  if (parsing && rest.length > 0) return usage(`--${parsing[1]}: ${rest.join(' ')}`);

  // "Missing 1 required arg:" and then "name  description" for each.
  if (/^Missing \d+ required args?:?$/.test(first) && rest.length > 0) {
    const named = rest.filter((line) => !line.startsWith('Note:') && !line.startsWith('Alternatively')).map((line) => line.split(/\s{2,}/)[0]!.toUpperCase());
    return usage(`Missing the required argument${named.length > 1 ? 's' : ''} ${named.join(' and ')}`);
  }

  // "Expected --output=table to be one of: yaml, json": the value may come from a GSHIFT_ twin.
  const option = /^Expected --([\w-]+)=(.*) to be one of: (.*)$/.exec(first);
  if (option) {
    const [, flag, value, allowed] = option as unknown as [string, string, string, string];
    const twin = `GSHIFT_${flag.toUpperCase().replaceAll('-', '_')}`;
    return usage(
      `--${flag} must be one of ${allowed}, not "${value}"`,
      env[twin] === value ? `pass --${flag} with one of: ${allowed}, or unset ${twin} (it is "${value}").` : `pass --${flag} with one of: ${allowed}.`,
    );
  }

  // "The following error(s) occurred:" and then one reason per line, e.g. "Missing required flag stack".
  const reasons = /^The following errors? occurred:?$/.test(first) && rest.length > 0 ? rest : [[first, ...rest].join(' ')];
  const missing = reasons.flatMap((reason) => /^Missing required flag ([\w-]+)$/.exec(reason)?.slice(1, 2) ?? []).map((flag) => `--${flag}`);
  if (missing.length > 0 && missing.length === reasons.length) {
    return usage(`Missing the required flag${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`, `pass ${missing.join(' and ')}, or run the command with --help.`);
  }
  return usage(reasons.map((reason) => reason.replace(/\.$/, '')).join('; '));
}
