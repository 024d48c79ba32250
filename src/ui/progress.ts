import {canAnimate, writeErr} from './terminal.js';

/** Progress for one step of work, always on stderr so stdout stays clean for results. */
export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** Ends the spinner without a verdict (before an error is printed). */
  stop(): void;
}

function timestamp(date = new Date()): string {
  return date.toISOString().slice(11, 19);
}

/** A plain timestamped line: what progress looks like in CI logs and pipes. */
export function progressLine(text: string): void {
  writeErr(`[${timestamp()}] ${text}`);
}

class LineProgress implements Progress {
  private last = '';
  constructor(text: string) {
    this.update(text);
  }
  update(text: string): void {
    if (text === this.last) return;
    this.last = text;
    progressLine(text);
  }
  succeed(text?: string): void {
    progressLine(`✓ ${text ?? this.last}`);
  }
  fail(text?: string): void {
    progressLine(`✗ ${text ?? this.last}`);
  }
  stop(): void {}
}

/** Starts an ora spinner on a terminal, or plain timestamped lines anywhere else. */
export async function startProgress(text: string, options: {quiet?: boolean} = {}): Promise<Progress> {
  if (options.quiet) return {update() {}, succeed() {}, fail() {}, stop() {}};
  if (!canAnimate()) return new LineProgress(text);
  const {default: ora} = await import('ora');
  const spinner = ora({text, stream: process.stderr, discardStdin: false}).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    succeed: (next) => spinner.succeed(next),
    fail: (next) => spinner.fail(next),
    stop: () => spinner.stop(),
  };
}
