import type {ChalkInstance} from 'chalk';

/** Prompts and live views need a person at both ends; CI never gets them. */
export function isInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !isCI(env);
}

export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Spinners and live redraws go to stderr, so that is the stream that must be a terminal. */
export function canAnimate(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stderr.isTTY) && !isCI(env) && env.TERM !== 'dumb';
}

/**
 * Colour level for a stream: NO_COLOR (any non-empty value) wins, then FORCE_COLOR
 * (0-3, or empty/true for 1), then whether the stream is a terminal.
 */
export function colourLevel(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '' || force === 'true') return 1;
    if (force === 'false') return 0;
    const level = Number.parseInt(force, 10);
    if (Number.isInteger(level)) return Math.max(0, Math.min(3, level)) as 0 | 1 | 2 | 3;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

let stderrChalk: ChalkInstance | undefined;
let stdoutChalk: ChalkInstance | undefined;

/** A chalk bound to the colour level of the stream it will write to. */
export async function colours(stream: 'stdout' | 'stderr'): Promise<ChalkInstance> {
  const {Chalk} = await import('chalk');
  if (stream === 'stderr') {
    stderrChalk ??= new Chalk({level: colourLevel(process.stderr)});
    return stderrChalk;
  }
  stdoutChalk ??= new Chalk({level: colourLevel(process.stdout)});
  return stdoutChalk;
}

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
