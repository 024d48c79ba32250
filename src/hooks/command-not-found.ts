import type {Hook} from '@oclif/core/hooks';

import {editDistance} from '../core/did-you-mean.js';
import {EXIT_CODES, usageError} from '../errors.js';
import {errorEnvelope} from '../ui/json.js';
import {writeErr, writeOut} from '../ui/terminal.js';

/**
 * The closest known command to what was typed, or undefined when nothing is close enough to be a
 * typo. Words after a command are its arguments ("app creat hello"), so every leading run of the
 * typed words is tried, longest first.
 */
export function closestCommand(typed: string, known: readonly string[]): string | undefined {
  const words = typed.split(' ');
  let best: {id: string; distance: number} | undefined;
  for (let count = words.length; count >= 1; count--) {
    const prefix = words.slice(0, count).join(' ');
    for (const id of known) {
      // Compare with as many words as were typed, so "app creat" still finds "app create"; a
      // topic typed alone ("tenat") may still find one of its commands.
      const candidate = id.split(' ').slice(0, count).join(' ');
      const distance = editDistance(prefix, candidate) + (id.split(' ').length === count ? 0 : 0.5) + (words.length - count) * 0.25;
      if (distance <= Math.max(2, Math.floor(prefix.length / 3)) && (!best || distance < best.distance)) best = {id, distance};
    }
  }
  return best?.id;
}

const hook: Hook.CommandNotFound = async function (options) {
  const typed = options.id.replaceAll(':', ' ');
  const known = options.config.commands.filter((command) => !command.hidden).map((command) => command.id.replaceAll(':', ' '));
  const suggestion = closestCommand(typed, known);
  // What followed the mistyped command words: its arguments, kept in the suggested command line.
  const typedWords = typed.split(' ');
  const commandWords = suggestion ? Math.min(suggestion.split(' ').length, typedWords.length) : typedWords.length;
  const shown = typedWords.slice(0, commandWords).join(' ');
  const rest = [...typedWords.slice(commandWords), ...(options.argv ?? [])].join(' ');
  const exact = suggestion === shown;
  const error = exact ? usageError(
    `Unexpected argument${typedWords.length - commandWords > 1 ? 's' : ''} "${typedWords.slice(commandWords).join(' ')}": gshift ${shown} takes no arguments.`,
    `run gshift ${shown} --help to see its flags.`,
  ) : usageError(
    `"${shown}" is not a gshift command${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
    suggestion ? `run gshift ${suggestion}${rest ? ` ${rest}` : ''}, or gshift ${suggestion} --help.` : 'run gshift --help to list every command.',
    suggestion ? {suggestion} : undefined,
  );
  if (options.argv?.includes('--json')) writeOut(JSON.stringify(errorEnvelope(typed, error, []), null, 2));
  else writeErr(`Error: ${error.message}\nTry: ${error.hint}`);
  process.exit(EXIT_CODES.USAGE);
};

export default hook;
