import {LOG_STALLED, type Cluster} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import type {LogEntry, LogSink} from './events.js';
import type {LineFilter} from './filters.js';
import {splitStamp, wholeSecond} from './line.js';
import {ResumePoint, type LogGap} from './resume.js';
import type {ContainerInstance} from './workload.js';

export interface StreamTarget {
  namespace: string;
  pod: string;
  node?: string;
  container: string;
  label: string;
}

/** What the first request asks for: the backlog (tail/since) for pods there at the start, the whole instance for pods that join. */
export interface StreamStart {
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
}

export interface StreamTuning {
  /** No line for this long while the container runs: the connection may be stuck; reconnect. */
  idleMs: number;
  /** After the pod is gone, how long a still-open stream may stay quiet before it is closed. */
  drainMs: number;
  retryDelay(attempt: number): number;
}

const RETRYABLE = new Set(['UNREACHABLE', 'SERVER']);
type Outcome = {kind: 'ended'; lines: number} | {kind: 'idle'} | {kind: 'stopped'} | {kind: 'failed'; error: GshiftError};

/**
 * One container of one pod, followed for as long as the pod lives: across dropped
 * connections, stalls, servers that end the stream and container restarts, resuming by
 * timestamp (ResumePoint) so that no line is shown twice or silently lost. Lines are read one
 * at a time and handed to the sink before the next is read.
 */
export class ContainerStream {
  readonly done: Promise<void>;
  /** When the last line (or the connection) arrived; the session's watchdog reads it. */
  lastActivity = Date.now();
  private readonly resume = new ResumePoint();
  private request?: AbortController;
  private idleFired = false;
  private stopped = false;
  private finishing = false;
  private wake?: () => void;
  /** Restarts the container had when the request in flight (or the last one) began. */
  private restartsAtRequest?: number;
  /** A request got an answer but no line: later requests start from then, not from the backlog again. */
  private answeredAt?: string;
  /** The backlog request failed before any answer: asking for it again may skip lines written meanwhile. */
  private backlogRetried = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly target: StreamTarget,
    private readonly start: StreamStart,
    private readonly filter: LineFilter,
    private readonly sink: LogSink,
    private readonly tuning: StreamTuning,
    private instance: ContainerInstance,
  ) {
    this.done = this.run();
  }

  /** The pod changed: maybe a new instance of the container runs now. */
  update(instance: ContainerInstance): void {
    if (instance.restarts > this.instance.restarts) {
      this.sink.event({event: 'restarted', pod: this.target.pod, label: this.target.label, container: this.target.container, restarts: instance.restarts});
    }
    this.instance = instance;
    this.wake?.();
  }

  /** The pod is gone: let what is still in flight arrive, then end. */
  finish(): void {
    this.finishing = true;
    if (!this.request) this.stopped = true;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.request?.abort();
    this.wake?.();
  }

  /** The watchdog: reconnect a stream that went quiet while its container runs; close a drained one. */
  checkIdle(now: number): void {
    if (!this.request) return;
    const quiet = now - this.lastActivity;
    if (this.finishing && quiet >= this.tuning.drainMs) this.stop();
    else if (!this.finishing && this.instance.running && quiet >= this.tuning.idleMs) {
      this.idleFired = true;
      this.request.abort(LOG_STALLED);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    let quietEnds = 0;
    let clean = true;
    while (!this.stopped) {
      if (!this.instance.running) {
        if (this.finishing) return;
        await this.waitForChange();
        continue;
      }
      await this.recoverEndedInstances(clean);
      const outcome = await this.readOnce();
      if (this.stopped || this.finishing) return;
      clean = outcome.kind === 'ended';
      if (outcome.kind !== 'ended' && this.answeredAt === undefined && this.start.tailLines !== undefined) this.backlogRetried = true;
      if (outcome.kind === 'failed') {
        const {error} = outcome;
        if (error.code === 'NOT_FOUND') return;
        if (error.code === 'REJECTED') {
          // The node refused (the container between instances, or the node out of resources):
          // ask again when the pod changes, or after a growing pause.
          failures++;
          if (this.instance.running) this.sink.event({event: 'reconnecting', pod: this.target.pod, label: this.target.label, container: this.target.container, reason: error.message, attempt: failures});
          await this.waitForChange(this.tuning.retryDelay(failures));
          continue;
        }
        if (!RETRYABLE.has(error.code)) {
          this.gap({after: this.resume.lastStamp, reason: `gshift stopped following this container: ${error.message}`});
          return;
        }
        failures++;
        this.sink.event({event: 'reconnecting', pod: this.target.pod, label: this.target.label, container: this.target.container, reason: error.message, attempt: failures});
        await this.waitForChange(this.tuning.retryDelay(failures), false);
      } else if (outcome.kind === 'ended') {
        failures = 0;
        quietEnds = outcome.lines > 0 ? 0 : quietEnds + 1;
        // The server ended the log: the container stopped, or the server restarted. Ask again
        // once the pod says what runs now (or after a pause growing while nothing comes).
        await this.waitForChange(Math.min(250 * 2 ** quietEnds, 5000));
      } else failures = 0;
    }
  }

  /**
   * Before reading the current instance: an instance that ended while no request was reading
   * it (connection down, or more than one restart in between) has its end in the previous
   * log, which the kubelet keeps for the last ended instance only.
   */
  private async recoverEndedInstances(clean: boolean): Promise<void> {
    const before = this.restartsAtRequest;
    if (before === undefined || this.instance.restarts <= before) return;
    // After a clean end the instance read last ended with its whole log shown.
    const unread = this.instance.restarts - before - (clean ? 1 : 0);
    if (unread <= 0) return;
    if (unread > 1) this.gap({after: this.resume.lastStamp, reason: `${unread - 1} instance${unread > 2 ? 's' : ''} of the container started and ended while gshift could not read the log`});
    try {
      const since = unread > 1 ? this.resume.resume(false) : this.resume.resume(true);
      const text = await this.cluster.readLogs(this.target.namespace, this.target.pod, this.target.container, {previous: true, timestamps: true, ...(since ? {sinceTime: since} : {})});
      for (const raw of text.split('\n')) if (raw !== '') await this.deliver(raw);
    } catch (error) {
      this.gap({after: this.resume.lastStamp, reason: `the container restarted while gshift could not read its log, and the ended instance's log cannot be read: ${error instanceof Error ? error.message : String(error)}`});
    }
  }

  private async readOnce(): Promise<Outcome> {
    const request = new AbortController();
    const newInstance = this.restartsAtRequest !== undefined && this.instance.restarts > this.restartsAtRequest;
    this.request = request;
    this.idleFired = false;
    this.lastActivity = Date.now();
    this.restartsAtRequest = this.instance.restarts;
    const since = this.resume.resume(!newInstance) ?? this.answeredAt;
    let lines = 0;
    try {
      const source = this.cluster.logLines(this.target.namespace, this.target.pod, this.target.container, {
        follow: true,
        timestamps: true,
        signal: request.signal,
        ...(since ? {sinceTime: since} : this.start),
        onConnected: () => {
          this.lastActivity = Date.now();
          if (this.backlogRetried && this.answeredAt === undefined) {
            this.gap({reason: `the first requests for this log failed, so it starts from its last ${this.start.tailLines} lines now: lines written meanwhile beyond those are not shown`});
          }
          this.answeredAt ??= wholeSecond(new Date().toISOString());
        },
      });
      for await (const batch of source) {
        this.lastActivity = Date.now();
        for (const raw of batch) {
          if (this.stopped) break;
          lines++;
          const blocked = this.deliver(raw);
          if (blocked) await blocked;
        }
      }
      if (this.stopped) return {kind: 'stopped'};
      return this.idleFired ? {kind: 'idle'} : {kind: 'ended', lines};
    } catch (error) {
      if (this.stopped) return {kind: 'stopped'};
      if (this.idleFired) return {kind: 'idle'};
      return {kind: 'failed', error: error instanceof GshiftError ? error : new GshiftError('INTERNAL', String(error), {cause: error})};
    } finally {
      this.request = undefined;
    }
  }

  /** Hands one line to the sink; a promise only when the sink is not ready for more (back-pressure). */
  private deliver(raw: string): void | Promise<void> {
    const {time, stamp, message} = splitStamp(raw);
    // Every line of a log asked for with timestamps has one: text without one is the node's
    // own complaint written into the stream (e.g. it cannot watch the log file).
    if (!stamp) {
      if (raw.trim()) this.sink.event({event: 'notice', pod: this.target.pod, label: this.target.label, container: this.target.container, message: raw.trim().slice(0, 500)});
      return;
    }
    const decision = this.resume.accept(stamp, message);
    if (decision.gap) this.gap(decision.gap);
    if (!decision.show || !this.filter(message)) return;
    const {pod, container, node, label} = this.target;
    const entry: LogEntry = {pod, container, message, label, stamp};
    if (node) entry.node = node;
    if (time) entry.time = time;
    return this.sink.line(entry);
  }

  private gap(gap: LogGap): void {
    this.sink.event({event: 'gap', pod: this.target.pod, label: this.target.label, container: this.target.container, ...gap});
  }

  /**
   * Until `timeoutMs` passes, the stream is told to finish or stop, or (`wakeOnChange`) the
   * pod changes. Only one run loop waits at a time, so one wake function suffices.
   */
  private waitForChange(timeoutMs?: number, wakeOnChange = true): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      this.wake = () => {
        if (wakeOnChange || this.stopped || this.finishing) done();
      };
    });
  }
}
