import type {GshiftError} from '../errors.js';
import {colours} from './terminal.js';

/** "Error: <one sentence>" and "Try: <next step>"; the stack only when asked for with --debug. */
export async function renderError(error: GshiftError, options: {debug: boolean; original?: unknown}): Promise<string> {
  const chalk = await colours('stderr');
  const lines = [`${chalk.red('Error:')} ${error.message}`];
  if (error.hint) lines.push(`${chalk.dim('Try:')} ${error.hint}`);
  if (options.debug) {
    if (error.details) lines.push(chalk.dim(JSON.stringify(error.details, null, 2)));
    const cause = error.cause ?? options.original;
    const stack = cause instanceof Error ? cause.stack : error.stack;
    if (stack) lines.push(chalk.dim(stack));
  }
  return lines.join('\n');
}
