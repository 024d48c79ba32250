import {wholeSecond} from './line.js';

/** Lines of one stream that may be missing: the user is told, never left to guess. */
export interface LogGap {
  /** The last line shown before the gap (normalised timestamp), when one was. */
  after?: string;
  /** The first line shown after it, when one came. */
  before?: string;
  reason: string;
}

/** Lines sharing the last timestamp that are remembered to find the resume point again. */
const REMEMBERED = 1000;

/** The answers for a line with no gap: shared, as most lines get one (no allocation per line). */
const SHOW = Object.freeze({show: true as const});
const DROP = Object.freeze({show: false as const});

/** What is remembered of a line: enough to recognise it, at most ~170 characters (memory stays bounded). */
const fingerprint = (text: string) => (text.length > 160 ? `${text.length}:${text.slice(0, 80)}${text.slice(-80)}` : text);

/**
 * Where one container's followed log stands, so that a new request after a dropped
 * connection, a stall or a server that ended the stream continues exactly: the log is asked
 * for again from the last line's second (sinceTime has whole-second precision) and what was
 * already shown is skipped — lines before the last timestamp, and among the lines carrying
 * exactly that timestamp (several often do) everything up to the run of lines that was shown
 * last, found again by their text. That also holds when the first request began in the
 * middle of such a run (a --tail backlog). Pure: no I/O.
 */
export class ResumePoint {
  private last?: string;
  /**
   * The texts of the lines shown at `last`, in order: the latest REMEMBERED of them, from index
   * `oldest` (older ones are dropped in batches, not one array shift per line).
   */
  private shownAtLast: string[] = [];
  private oldest = 0;
  /** While resuming: how many of shownAtLast the resent lines have matched so far. */
  private matched?: number;
  /** Whether not finding them again means lines were lost (false for a new container instance). */
  private expectRepeats = true;

  /** Has any line been shown? */
  get started(): boolean {
    return this.last !== undefined;
  }

  get lastStamp(): string | undefined {
    return this.last;
  }

  /**
   * Decides about the next line (its normalised timestamp, undefined when it has none, and
   * its text): show it or drop it as already shown (or as older than what was asked for).
   * When the server no longer has the lines the stream stopped at, the gap comes with it.
   */
  accept(stamp: string | undefined, line = ''): {show: boolean; gap?: LogGap} {
    const text = fingerprint(line);
    if (stamp === undefined || this.last === undefined) return this.show(stamp, text);
    if (this.matched !== undefined) {
      if (stamp < this.last) return DROP;
      if (stamp === this.last) {
        // Lines before the run shown last are older than the backlog asked for: dropped too.
        const expected = this.shownAtLast[this.oldest + this.matched];
        this.matched = text === expected ? this.matched + 1 : text === this.shownAtLast[this.oldest] ? 1 : 0;
        if (this.matched === this.shownAtLast.length - this.oldest) this.matched = undefined;
        return DROP;
      }
      const missing = this.expectRepeats && this.shownAtLast.length > this.oldest;
      const after = this.last;
      this.matched = undefined;
      const shown = this.show(stamp, text);
      return missing ? {...shown, gap: {after, before: stamp, reason: 'the lines around the point where the stream stopped are no longer on the node'}} : shown;
    }
    return this.show(stamp, text);
  }

  /**
   * The sinceTime for the next request; undefined when nothing was shown yet. `sameInstance`
   * false: the request reads a new container instance, whose log does not hold the lines
   * already shown, so their absence is no gap.
   */
  resume(sameInstance = true): string | undefined {
    if (this.last === undefined) return undefined;
    this.matched = 0;
    this.expectRepeats = sameInstance;
    return wholeSecond(this.last);
  }

  private show(stamp: string | undefined, text: string): {show: true} {
    if (stamp !== undefined) {
      if (this.last === undefined || stamp > this.last) {
        this.last = stamp;
        this.shownAtLast = [text];
        this.oldest = 0;
      } else if (stamp === this.last) {
        this.shownAtLast.push(text);
        if (this.shownAtLast.length - this.oldest > REMEMBERED && ++this.oldest >= REMEMBERED) {
          this.shownAtLast = this.shownAtLast.slice(this.oldest);
          this.oldest = 0;
        }
      }
    }
    return SHOW;
  }
}
