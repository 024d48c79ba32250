import {Command} from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';

import {MASK} from './core/secret-masking.js';
import {EXIT_CODES, GshiftError, isGshiftError} from './errors.js';
import {booleanAssignments, type ViewOutput} from './flags.js';
import {fromParseError, isParseError, type ParseContext} from './parse-errors.js';
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
    // `--wait=false`, as kubectl users write it (see booleanAssignments).
    this.argv = booleanAssignments(this.argv, this.parseContext().flags);
  }

  override async finally(error: Error | undefined): Promise<void> {
    process.removeListener('SIGINT', this.onSigint);
    await super.finally(error);
  }

  /** Human output on stdout; suppressed in --json mode, where the returned result is printed instead. */
  protected print(text: string): void {
    if (!this.jsonEnabled()) writeOut(text);
  }

  /**
   * A list's or status's result on stdout as -o asks: the table (or the wide one), or the result
   * itself as JSON or YAML. Nothing under --json, where the envelope carries the result.
   */
  protected async present(result: object, output: ViewOutput | undefined, views: {table: () => string; wide?: () => string}): Promise<void> {
    if (this.jsonEnabled()) return;
    if (output === 'json') return writeOut(JSON.stringify(result, null, 2));
    if (output === 'yaml') {
      const {toYaml} = await import('./render/yaml-emit.js');
      return writeOut(toYaml(result).trimEnd());
    }
    writeOut(output === 'wide' && views.wide ? views.wide() : views.table());
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

  /** Printed manifests whose Secret values were masked say so, once, as a warning (also in --json). */
  protected noteMasked(masked: readonly string[]): void {
    if (masked.length === 0) return;
    this.warnUser(`the values of ${masked.map((name) => `Secret ${name}`).join(', ')} are masked (${MASK}), so this output cannot be applied as it stands; add --reveal to print the real values (and keep them out of logs).`);
  }

  protected override toSuccessJson(result: unknown): unknown {
    return successEnvelope(this.id ?? '', result, this.warnings);
  }

  protected override toErrorJson(error: unknown): unknown {
    return errorEnvelope(this.id ?? '', toGshiftError(error, this.parseContext()), this.warnings);
  }

  /** What a parse failure is explained with: the command's flags and the command line. */
  private parseContext(): ParseContext {
    const command = this.ctor as unknown as {flags?: ParseContext['flags']; baseFlags?: ParseContext['flags']};
    return {flags: {...command.baseFlags, ...command.flags}, argv: this.argv};
  }

  override logJson(json: unknown): void {
    writeOut(JSON.stringify(json, null, 2));
  }

  override async catch(error: Error & {oclif?: {exit?: number}}): Promise<void> {
    // `this.exit(n)` and oclif's own help/version exits travel as errors: let them through.
    if (error?.constructor?.name === 'ExitError') throw error;
    const failure = toGshiftError(error, this.parseContext());
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

  protected interrupted(): void {
    const summary = this.interruptedSummary?.();
    const failure = new GshiftError('INTERRUPTED', `Interrupted${summary ? `: ${summary}` : '.'}`, {
      hint: summary ? 'run the same command again to finish: it converges from where it stopped.' : undefined,
    });
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(failure));
    else writeErr(`\n${failure.message}${failure.hint ? `\nTry: ${failure.hint}` : ''}`);
    process.exit(EXIT_CODES.INTERRUPTED);
  }
}

/**
 * Turns whatever was thrown into a GshiftError: gshift's own as written, oclif's parse failures
 * as usage errors (by their class and fields, with the command's flags for suggestions), the rest
 * as bugs.
 */
export function toGshiftError(error: unknown, context: ParseContext = {flags: {}, argv: []}): GshiftError {
  if (isGshiftError(error)) {
    return error.message === error.sentence ? error : new GshiftError(error.code, error.sentence, {hint: error.hint, details: error.details, cause: error.cause});
  }
  if (isParseError(error)) return fromParseError(error as Error, context);
  const message = error instanceof Error ? error.message : String(error);
  return new GshiftError('INTERNAL', `gshift hit an unexpected error: ${message}`, {
    hint: 'run again with --debug and report the output as a gshift bug.',
    cause: error,
  });
}
