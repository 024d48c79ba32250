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
export function toGshiftError(error: unknown): GshiftError {
  if (isGshiftError(error)) return error;
  const oclifExit = (error as {oclif?: {exit?: number}})?.oclif?.exit;
  const message = error instanceof Error ? error.message : String(error);
  if (oclifExit === 2 || /^(Missing|Unexpected|Expected|Nonexistent flag|Parsing --|The following error occurred)/m.test(message)) {
    const firstLine = message.split('\n').find((line) => line.trim() !== '')?.trim() ?? message;
    return new GshiftError('USAGE', firstLine.replace(/\s*See more help with --help$/, ''), {
      hint: 'run the command with --help to see its flags and arguments.',
    });
  }
  return new GshiftError('INTERNAL', `gshift hit an unexpected error: ${message}`, {
    hint: 'run again with --debug and report the output as a gshift bug.',
    cause: error,
  });
}
