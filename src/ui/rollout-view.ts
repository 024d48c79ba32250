/**
 * Rollout progress on stderr: a live block redrawn in place on a terminal, plain timestamped lines
 * (only when something changed) in CI, pipes and --json mode; and the diagnosis of a failure.
 */
import type {EventSummary} from '../rollout/diagnosis.js';
import type {PodProgress, RolloutProgress} from '../rollout/progress.js';
import {progressLine} from './progress.js';
import {canAnimate, colours} from './terminal.js';

export interface RolloutView {
  update(progress: RolloutProgress): void;
  /** A message above the live block ("reconnecting…"). */
  note(text: string): void;
  /** Ends the view: the last frame stays, with a ✓ or ✗ line when text is given. */
  succeed(text?: string): void;
  fail(text?: string): void;
}

/** "desired 3 · updated 2 · ready 1 · available 1" */
export function replicaLine(progress: RolloutProgress): string {
  return `desired ${progress.desired} · updated ${progress.updated} · ready ${progress.ready} · available ${progress.available}`;
}

/** "Running, 1/1 ready, 2 restarts (old)" */
export function podLine(pod: PodProgress): string {
  const parts = [pod.status, `${pod.ready} ready`];
  if (pod.restarts > 0) parts.push(`${pod.restarts} restart${pod.restarts === 1 ? '' : 's'}`);
  return `${parts.join(', ')}${pod.current ? '' : ' (old)'}`;
}

/**
 * `--json` and non-terminals get lines; a terminal gets the redrawn block. `title` names what
 * rolls out ("web").
 */
export async function startRolloutView(title: string, options: {json?: boolean; quiet?: boolean} = {}): Promise<RolloutView> {
  if (options.quiet) return {update() {}, note() {}, succeed() {}, fail() {}};
  if (options.json || !canAnimate()) return new LineView(title);
  const chalk = await colours('stderr');
  return new LiveView(title, chalk);
}

/** Prints what changed since the last update, one timestamped line each. */
export class LineView implements RolloutView {
  private counts = '';
  private readonly pods = new Map<string, string>();

  constructor(
    private readonly title: string,
    private readonly write: (text: string) => void = progressLine,
  ) {}

  update(progress: RolloutProgress): void {
    const counts = progress.observed ? replicaLine(progress) : 'waiting for the deployment controller';
    if (counts !== this.counts) {
      this.counts = counts;
      this.write(`${this.title}: ${counts}`);
    }
    const seen = new Set<string>();
    for (const pod of progress.pods) {
      seen.add(pod.name);
      const line = podLine(pod);
      if (this.pods.get(pod.name) === line) continue;
      this.pods.set(pod.name, line);
      this.write(`  pod ${pod.name}: ${line}`);
    }
    for (const name of this.pods.keys()) {
      if (seen.has(name)) continue;
      this.pods.delete(name);
      this.write(`  pod ${name}: gone`);
    }
  }

  note(text: string): void {
    this.write(text);
  }

  succeed(text?: string): void {
    if (text) this.write(`✓ ${text}`);
  }

  fail(text?: string): void {
    if (text) this.write(`✗ ${text}`);
  }
}

type Chalk = Awaited<ReturnType<typeof colours>>;
const MAX_POD_LINES = 12;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The block is redrawn by moving the cursor up over the previous frame; lines are cut to the width so none wraps. */
class LiveView implements RolloutView {
  private drawn = 0;
  private frame = 0;
  private progress?: RolloutProgress;
  private readonly spinner: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(
    private readonly title: string,
    private readonly chalk: Chalk,
  ) {
    this.spinner = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.draw();
    }, 100);
    this.spinner.unref();
    this.draw();
  }

  update(progress: RolloutProgress): void {
    this.progress = progress;
    this.draw();
  }

  note(text: string): void {
    this.clear();
    process.stderr.write(`${this.chalk.yellow(text)}\n`);
    this.draw();
  }

  succeed(text?: string): void {
    this.end(text ? `${this.chalk.green('✓')} ${text}` : undefined);
  }

  fail(text?: string): void {
    this.end(text ? `${this.chalk.red('✗')} ${text}` : undefined);
  }

  private end(last?: string): void {
    clearInterval(this.spinner);
    this.clear();
    process.stderr.write(`${this.lines(last ?? `  Rolling out ${this.title}`).join('\n')}\n`);
  }

  /** The block under `head` (default: the spinner and "Rolling out <title>"). */
  private lines(head = `${this.chalk.cyan(FRAMES[this.frame])} Rolling out ${this.title}`): string[] {
    const {chalk, progress} = this;
    const seconds = Math.floor((Date.now() - this.started) / 1000);
    if (!progress) return [`${head} ${chalk.dim(`(${seconds}s)`)}`];
    const counts = progress.observed ? replicaLine(progress) : 'waiting for the deployment controller';
    // A block taller than the screen cannot be redrawn in place.
    const room = Math.max(1, Math.min(MAX_POD_LINES, (process.stderr.rows || 24) - 3));
    const shown = progress.pods.length > room ? progress.pods.slice(0, room - 1) : progress.pods;
    const width = Math.max(...shown.map((pod) => pod.name.length), 0);
    const more = progress.pods.length - shown.length;
    return [
      `${head}: ${counts} ${chalk.dim(`(${seconds}s)`)}`,
      ...shown.map((pod) => `    ${pod.name.padEnd(width)}  ${this.colourPod(pod)}`),
      ...(more > 0 ? [chalk.dim(`    … and ${more} more pods`)] : []),
    ];
  }

  private colourPod(pod: PodProgress): string {
    const line = podLine(pod);
    if (!pod.current) return this.chalk.dim(line);
    if (/BackOff|Err|Error|Crash|Invalid/.test(pod.status)) return this.chalk.red(line);
    return pod.ready.split('/')[0] === pod.ready.split('/')[1] ? this.chalk.green(line) : line;
  }

  private draw(): void {
    this.clear();
    const columns = process.stderr.columns || 100;
    const lines = this.lines().map((line) => truncate(line, columns - 1));
    process.stderr.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private clear(): void {
    if (this.drawn > 0) process.stderr.write(`\u001B[${this.drawn}A\r\u001B[J`);
    this.drawn = 0;
  }
}

/** Cuts visible text to `columns`, keeping ANSI colour codes whole. */
export function truncate(line: string, columns: number): string {
  let visible = 0;
  let out = '';
  for (const part of line.split(/(\u001B\[[0-9;]*m)/)) {
    if (part.startsWith('\u001B[')) {
      out += part;
      continue;
    }
    const room = columns - visible;
    if (room <= 0) continue;
    out += part.length > room ? `${part.slice(0, room - 1)}…` : part;
    visible += Math.min(part.length, room);
  }
  return out;
}

/** The facts a failed rollout's error carries in `details` (see RolloutFailureDetails). */
export interface DiagnosisView {
  message?: string;
  events?: EventSummary[];
  pod?: string;
  container?: string;
  logSource?: 'current' | 'previous';
  logs?: string[];
  logsUnavailable?: string;
}

/**
 * The evidence under a failed rollout's "Error: <cause>": the events behind it (type, reason,
 * object, message, age) and the failing container's last log lines, indented. Print it before
 * the error itself, so the cause and the next step are the last thing on the screen.
 */
export async function renderDiagnosis(diagnosis: DiagnosisView, now = Date.now()): Promise<string> {
  const chalk = await colours('stderr');
  const sections: string[] = [];
  if (diagnosis.message && diagnosis.container) sections.push(`${chalk.bold(`Container ${diagnosis.container}:`)} ${diagnosis.message}`);
  const events = diagnosis.events ?? [];
  if (events.length > 0) {
    const reasonWidth = Math.max(...events.map((event) => event.reason.length));
    const objectWidth = Math.max(...events.map((event) => event.object.length));
    const rows = events.map((event) => {
      const type = event.type === 'Warning' ? chalk.yellow(event.type.padEnd(7)) : event.type.padEnd(7);
      const facts = [event.count > 1 ? `×${event.count}` : '', event.lastSeen ? `${formatAge(now - Date.parse(event.lastSeen))} ago` : ''].filter(Boolean);
      const when = facts.length > 0 ? chalk.dim(` (${facts.join(', ')})`) : '';
      return `  ${type}  ${event.reason.padEnd(reasonWidth)}  ${chalk.dim(event.object.padEnd(objectWidth))}  ${event.message}${when}`;
    });
    sections.push([chalk.bold('Events:'), ...rows].join('\n'));
  }
  if (diagnosis.pod && diagnosis.container && diagnosis.logSource) {
    const which = diagnosis.logSource === 'previous' ? ' (the instance that crashed)' : '';
    const heading = chalk.bold(`Last log lines of ${diagnosis.pod}, container ${diagnosis.container}${which}:`);
    if (diagnosis.logs && diagnosis.logs.length > 0) sections.push([heading, ...diagnosis.logs.map((line) => `  ${line}`)].join('\n'));
    else if (diagnosis.logsUnavailable) sections.push(`${heading}\n  ${chalk.dim(`(not available: ${diagnosis.logsUnavailable})`)}`);
    else sections.push(`${heading}\n  ${chalk.dim('(the log is empty)')}`);
  }
  return sections.join('\n\n');
}

/** 42_000 → "42s", 185_000 → "3m", 7_200_000 → "2h". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** The hooks `followRollout` takes, wired to a view. */
export interface RolloutHooks {
  onUpdate(progress: RolloutProgress): void;
  onNote(text: string): void;
}

/**
 * Runs `follow` with a view attached: ✓ on success; on failure the view stops and, for a failed
 * rollout outside --json, the diagnosis (events, log lines) is printed before the error itself is
 * rethrown for the base command to render as "Error: <cause>" and "Try: <hint>".
 *
 *   const result = await presentRollout('web', {json: this.jsonEnabled()}, (hooks) => followRollout(cluster, {...options, ...hooks}));
 */
export async function presentRollout<T>(title: string, options: {json?: boolean; quiet?: boolean}, follow: (hooks: RolloutHooks) => Promise<T>): Promise<T> {
  const view = await startRolloutView(title, options);
  try {
    const result = await follow({onUpdate: (progress) => view.update(progress), onNote: (text) => view.note(text)});
    view.succeed(`Rolled out ${title}`);
    return result;
  } catch (error) {
    view.fail();
    const failure = error as {code?: string; details?: DiagnosisView};
    if (failure.code === 'ROLLOUT_FAILED' && failure.details && !options.json && !options.quiet) {
      const text = await renderDiagnosis(failure.details);
      if (text) process.stderr.write(`${text}\n\n`);
    }
    throw error;
  }
}
