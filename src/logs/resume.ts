import {wholeSecond} from './line.js';

/** Lines of one stream that may be missing: the user is told, never left to guess. */
export interface LogGap {
  /** The last line shown before the gap (normalised timestamp), when one was. */
  after?: string;
  /** The first line shown after it, when one came. */
  before?: string;
  reason: string;
}

/**
 * Where one container's followed log stands, so that a new request after a dropped
 * connection, a stall or a server that ended the stream continues exactly: the log is asked
 * for again from the last line's second (sinceTime has whole-second precision) and what was
 * already shown is skipped — lines before the last timestamp, and as many lines carrying
 * exactly the last timestamp as were shown (several lines often share one). Pure: no I/O.
 */
export class ResumePoint {
  private last?: string;
  private shownAtLast = 0;
  /** While resuming: lines at `last` the server is expected to send again. */
  private repeating?: number;
  /** Whether not getting them back means lines were lost (false for a new container instance). */
  private expectRepeats = true;

  /** Has any line been shown? */
  get started(): boolean {
    return this.last !== undefined;
  }

  get lastStamp(): string | undefined {
    return this.last;
  }

  /**
   * Decides about the next line (its normalised timestamp, undefined when it has none):
   * show it or drop it as already shown. When the server no longer has the lines the
   * stream stopped at (rotated, or a new container instance), the gap is returned with it.
   */
  accept(stamp: string | undefined): {show: boolean; gap?: LogGap} {
    if (stamp === undefined || this.last === undefined) return this.show(stamp);
    if (this.repeating !== undefined) {
      if (stamp < this.last) return {show: false};
      if (stamp === this.last && this.repeating > 0) {
        this.repeating--;
        return {show: false};
      }
      const missing = this.expectRepeats && this.repeating > 0 && stamp > this.last;
      const after = this.last;
      this.repeating = undefined;
      const shown = this.show(stamp);
      return missing ? {...shown, gap: {after, before: stamp, reason: 'the lines around the point where the stream stopped are no longer on the node'}} : shown;
    }
    return this.show(stamp);
  }

  /**
   * The sinceTime for the next request; undefined when nothing was shown yet. `sameInstance`
   * false: the request reads a new container instance, whose log does not hold the lines
   * already shown, so their absence is no gap.
   */
  resume(sameInstance = true): string | undefined {
    if (this.last === undefined) return undefined;
    this.repeating = this.shownAtLast;
    this.expectRepeats = sameInstance;
    return wholeSecond(this.last);
  }

  private show(stamp: string | undefined): {show: true} {
    if (stamp !== undefined) {
      if (this.last === undefined || stamp > this.last) {
        this.last = stamp;
        this.shownAtLast = 1;
      } else if (stamp === this.last) this.shownAtLast++;
    }
    return {show: true};
  }
}
