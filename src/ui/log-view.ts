import {once} from 'node:events';

import type {ChalkInstance} from 'chalk';

import type {LogEntry, LogEvent, LogSink} from '../logs/events.js';
import {structuredMessage} from '../logs/line.js';
import {colourSlot} from '../logs/pod-label.js';
import {writeErr} from './terminal.js';

export interface LogViewOptions {
  json: boolean;
  timestamps: boolean;
  prefix: boolean;
  /** Colours for stdout (level 0 without a terminal). */
  chalk: ChalkInstance;
  /** Notes for stderr. */
  noteChalk: ChalkInstance;
  out?: NodeJS.WritableStream;
}

const PALETTE = ['cyan', 'green', 'yellow', 'blue', 'magenta', 'cyanBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright'] as const;
/** Output is gathered for one turn of the event loop and written at once, up to this much. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes log lines to stdout as they come: `label message` (colour per pod on a terminal), or
 * one JSON object per line with --json. Notes (pods joining and leaving, gaps) go to stderr;
 * under --json a gap is also an event object on stdout, in place.
 */
export class LogView implements LogSink {
  private pending = '';
  private scheduled = false;
  private blocked?: Promise<void>;
  private width = 0;
  /** Each label coloured and padded to the current width: computed once per label, not per line. */
  private readonly prefixes = new Map<string, string>();
  private readonly out: NodeJS.WritableStream;

  constructor(private readonly options: LogViewOptions) {
    this.out = options.out ?? process.stdout;
  }

  line(entry: LogEntry): void | Promise<void> {
    this.pending += `${this.format(entry)}\n`;
    if (this.pending.length >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return this.blocked;
  }

  event(event: LogEvent): void {
    if (event.event === 'labels') {
      this.widen(Math.max(...event.labels.map((label) => label.length)));
      return;
    }
    const note = this.note(event);
    if (note) writeErr(note);
    if (this.options.json && event.event === 'gap') {
      this.pending += `${JSON.stringify(event)}\n`;
      this.flush();
    }
  }

  /** Everything written out (before the command returns). */
  async close(): Promise<void> {
    this.flush();
    await this.blocked;
  }

  private flush(): void {
    this.scheduled = false;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    if (!this.out.write(text) && !this.blocked) {
      this.blocked = once(this.out, 'drain').then(() => {
        this.blocked = undefined;
      });
    }
  }

  private format(entry: LogEntry): string {
    if (this.options.json) {
      const structured = structuredMessage(entry.message);
      return JSON.stringify({pod: entry.pod, container: entry.container, node: entry.node, time: entry.time, message: entry.message, ...(structured ? {json: structured} : {})});
    }
    const time = this.options.timestamps && entry.time ? `${entry.time} ` : '';
    if (!this.options.prefix) return `${time}${entry.message}`;
    let prefix = this.prefixes.get(entry.label);
    if (prefix === undefined || entry.label.length > this.width) {
      this.widen(entry.label.length);
      const colour = this.options.chalk[PALETTE[colourSlot(entry.label, PALETTE.length)]!];
      prefix = `${colour(entry.label.padEnd(this.width))} `;
      this.prefixes.set(entry.label, prefix);
    }
    return `${prefix}${time}${entry.message}`;
  }

  /** Labels are padded to the longest seen: a longer one re-pads them all. */
  private widen(width: number): void {
    if (width <= this.width) return;
    this.width = width;
    this.prefixes.clear();
  }

  private note(event: LogEvent): string | undefined {
    const dim = this.options.noteChalk.dim;
    switch (event.event) {
      case 'labels':
        return undefined;
      case 'following': {
        const shown = event.pods.slice(0, 5).join(', ') + (event.pods.length > 5 ? `, … (${event.pods.length - 5} more)` : '');
        return dim(`Following ${event.pods.length} pod${event.pods.length === 1 ? '' : 's'}${event.pods.length ? `: ${shown}` : ''} (container ${event.containers.join(', ')}); new pods join as they start. Ctrl-C to stop.`);
      }
      case 'joined':
        return dim(`+ ${event.label} joined${event.node ? ` (node ${event.node})` : ''}`);
      case 'left':
        return dim(`- ${event.label} left (${event.reason})`);
      case 'restarted':
        return dim(`~ ${event.label}: container ${event.container} restarted (restart ${event.restarts}); following the new instance`);
      case 'reconnecting':
        return event.attempt === 1 || event.attempt % 5 === 0 ? dim(`~ ${event.label}: reconnecting (attempt ${event.attempt}): ${event.reason}`) : undefined;
      case 'notice':
        return dim(`${event.label}: the node says: ${event.message}`);
      case 'skipped':
        return dim(`${event.label}: not shown: ${event.reason}`);
      case 'gap': {
        const window = `${event.after ? ` after ${event.after}` : ''}${event.before ? ` until ${event.before}` : ''}`;
        return this.options.noteChalk.yellow(`! ${event.label}: lines of container ${event.container} may be missing${window}: ${event.reason}`);
      }
    }
  }
}
