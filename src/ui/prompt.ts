import {usageError} from '../errors.js';
import {isInteractive} from './terminal.js';

/**
 * Asks for confirmation of something destructive. Scripts must say --yes: a prompt that
 * nobody can answer would hang a pipeline.
 */
export async function confirmDestructive(options: {
  message: string;
  yes: boolean;
  /** When set, the user must type this exact text (e.g. a tenant name) instead of y/N. */
  typeToConfirm?: string;
}): Promise<boolean> {
  if (options.yes) return true;
  if (!isInteractive()) {
    throw usageError(`${options.message.replace(/\?$/, '')}: this needs confirmation, and there is no terminal to ask on.`, 'add --yes to confirm in scripts and CI.');
  }
  if (options.typeToConfirm !== undefined) {
    const {input} = await import('@inquirer/prompts');
    const typed = await input({message: `${options.message} Type "${options.typeToConfirm}" to confirm:`});
    // A mistyped name is a failure, not a quiet "no": whoever runs it must not read success into it.
    if (typed.trim() !== options.typeToConfirm) {
      throw usageError(`The name typed did not match "${options.typeToConfirm}", so nothing was deleted.`, `type "${options.typeToConfirm}" exactly, or pass --yes in scripts.`);
    }
    return true;
  }
  const {confirm} = await import('@inquirer/prompts');
  return confirm({message: options.message, default: false});
}

/**
 * Returns a value the user did not pass: asked for on a terminal, an error naming the flag
 * everywhere else.
 */
export async function askFor(flag: string, message: string, choices?: readonly string[]): Promise<string> {
  if (!isInteractive()) {
    const hint = choices?.length ? `pass --${flag} (one of: ${choices.join(', ')}).` : `pass --${flag}.`;
    throw usageError(`Missing --${flag}: ${message.replace(/[?:]\s*$/, '').toLowerCase()} is required when not running on a terminal.`, hint);
  }
  if (choices?.length) {
    const {select} = await import('@inquirer/prompts');
    return select({message, choices: choices.map((value) => ({value, name: value}))});
  }
  const {input} = await import('@inquirer/prompts');
  return input({message, required: true});
}

/** A secret typed on a terminal (masked); undefined where there is no terminal to ask on. */
export async function askSecret(message: string): Promise<string | undefined> {
  if (!isInteractive()) return undefined;
  const {password} = await import('@inquirer/prompts');
  return password({message, mask: true});
}

/**
 * A value the user may leave as proposed: asked for on a terminal (Enter keeps `proposed`),
 * `proposed` itself everywhere else.
 */
export async function askOrPropose(message: string, proposed: string): Promise<string> {
  if (!isInteractive()) return proposed;
  const {input} = await import('@inquirer/prompts');
  return input({message, default: proposed});
}
