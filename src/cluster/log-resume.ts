/**
 * Lets a followed log survive a dropped connection without repeating or losing lines: the log
 * is requested with timestamps, each complete line's timestamp is remembered, and after a
 * reconnect (sinceTime, which has whole-second precision) lines up to the last one shown are
 * skipped. Timestamps are stripped again unless the user asked for them. Pure: no I/O.
 */
export class LogResume {
  private partial = '';
  private last?: string;
  private skipThrough?: string;

  constructor(private readonly keepTimestamps: boolean) {}

  /** Text as the server sent it → the text to show (complete lines only). */
  push(text: string): string {
    this.partial += text;
    const newline = this.partial.lastIndexOf('\n');
    if (newline < 0) return '';
    const complete = this.partial.slice(0, newline).split('\n');
    this.partial = this.partial.slice(newline + 1);
    return complete.map((line) => this.line(line)).filter((line) => line !== undefined).map((line) => `${line}\n`).join('');
  }

  /** At the end of the stream: an unfinished last line, as it is. */
  flush(): string {
    const rest = this.partial;
    this.partial = '';
    return rest ? (this.line(rest) ?? '') : '';
  }

  /** The sinceTime for the next request, or undefined when no line has been shown yet. */
  resume(): string | undefined {
    // A line cut off by the disconnect was not shown: the server sends it again.
    this.partial = '';
    if (!this.last) return undefined;
    this.skipThrough = this.last;
    return `${this.last.slice(0, 19)}Z`;
  }

  private line(line: string): string | undefined {
    const space = line.indexOf(' ');
    const stamp = space > 0 ? normalise(line.slice(0, space)) : undefined;
    if (!stamp) return line;
    if (this.skipThrough !== undefined) {
      if (stamp <= this.skipThrough) return undefined;
      this.skipThrough = undefined;
    }
    this.last = stamp;
    return this.keepTimestamps ? line : line.slice(space + 1);
  }
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Go trims trailing zeros from nanoseconds; padding them back makes timestamps compare as strings. */
function normalise(stamp: string): string | undefined {
  const match = RFC3339.exec(stamp);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z` : undefined;
}
