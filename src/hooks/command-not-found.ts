import type {Hook} from '@oclif/core';

import {EXIT_CODES, usageError} from '../errors.js';
import {errorEnvelope} from '../ui/json.js';
import {writeErr, writeOut} from '../ui/terminal.js';

/** Edit distance, for "did you mean": small typos in a command should cost the user nothing. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest known command, or undefined when nothing is close enough to be a typo. */
export function closestCommand(typed: string, known: readonly string[]): string | undefined {
  let best: {id: string; distance: number} | undefined;
  for (const id of known) {
    // Compare with as many words as were typed, so "app creat NAME" still finds "app create".
    const candidate = id.split(' ').slice(0, typed.split(' ').length).join(' ');
    const distance = editDistance(typed, candidate) + (id.split(' ').length !== typed.split(' ').length ? 0.5 : 0);
    if (!best || distance < best.distance) best = {id, distance};
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined;
}

const hook: Hook.CommandNotFound = async function (options) {
  const typed = options.id.replaceAll(':', ' ');
  const known = options.config.commands.filter((command) => !command.hidden).map((command) => command.id.replaceAll(':', ' '));
  const suggestion = closestCommand(typed, known);
  const error = usageError(
    `"${typed}" is not a gshift command${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
    suggestion ? `run gshift ${suggestion} --help.` : 'run gshift --help to list every command.',
    suggestion ? {suggestion} : undefined,
  );
  if (options.argv?.includes('--json')) writeOut(JSON.stringify(errorEnvelope(typed, error, []), null, 2));
  else writeErr(`Error: ${error.message}\nTry: ${error.hint}`);
  process.exit(EXIT_CODES.USAGE);
};

export default hook;
