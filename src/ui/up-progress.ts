/**
 * One progress view for everything `gshift up` does at once, on stderr: on a terminal a block
 * redrawn in place with one line per step (namespace, database, app) per environment; in CI,
 * pipes and --json, timestamped lines whenever a step's state changes.
 */
import type {RolloutProgress} from '../rollout/progress.js';
import type {Plan, Step} from '../up/plan.js';
import type {StepOutcome} from '../up/schedule.js';
import type {StepReport} from '../up/steps.js';
import {progressLine} from './progress.js';
import {truncate} from './rollout-view.js';
import {canAnimate, colours} from './terminal.js';

export interface UpProgress {
  planned(plan: Plan): void;
  phase(step: Step, text: string): void;
  rollout(step: Step, progress: RolloutProgress): void;
  finished(outcome: StepOutcome<StepReport>): void;
  note(text: string): void;
  /** Ends the view; the last frame stays on a terminal. */
  stop(): void;
}

const LABEL: Record<string, string> = {environment: 'namespace', database: 'database', certificate: 'certificate', app: 'app'};

/** "3/3 ready" while rolling out. */
export function rolloutText(progress: RolloutProgress): string {
  return progress.observed ? `rolling out: ${progress.ready}/${progress.desired} ready` : 'rolling out: waiting for the controller';
}

/** "created, rolled out in 4s" / "unchanged" / "failed: …" / "not run: prod/database/orders failed". */
export function verdictText(outcome: StepOutcome<StepReport>): string {
  if (outcome.status === 'skipped') return outcome.blockedBy ? `not run: ${outcome.blockedBy} failed` : 'not run';
  if (outcome.status === 'failed') {
    const error = outcome.error as {sentence?: string; message?: string};
    return `failed: ${error.sentence ?? error.message ?? String(outcome.error)}`;
  }
  const report = outcome.result!;
  const rolled = report.rollout ? `, rolled out in ${Math.max(1, Math.round(report.rollout.elapsedMs / 1000))}s` : '';
  return `${report.action}${rolled}`;
}

export async function startUpProgress(options: {json?: boolean; quiet?: boolean} = {}): Promise<UpProgress> {
  if (options.quiet) return {planned() {}, phase() {}, rollout() {}, finished() {}, note() {}, stop() {}};
  if (options.json || !canAnimate()) return new LineProgress();
  return new LiveProgress(await colours('stderr'));
}

const title = (step: Step) => `${step.env}/${step.kind === 'environment' ? 'namespace' : step.kind}/${step.name}`;

/** Timestamped lines: one per change of a step's state, rollout counts only when they change. */
export class LineProgress implements UpProgress {
  private readonly last = new Map<string, string>();

  constructor(private readonly write: (text: string) => void = progressLine) {}

  planned(plan: Plan): void {
    const count = (kind: string) => plan.steps.filter((step) => step.kind === kind).length;
    const certificates = count('certificate') > 0 ? `, ${count('certificate')} certificate${count('certificate') === 1 ? '' : 's'}` : '';
    this.write(`Tenant ${plan.tenant}: ${plan.environments.length} environment${plan.environments.length === 1 ? '' : 's'}, ${count('database')} database${count('database') === 1 ? '' : 's'}${certificates}, ${count('app')} app${count('app') === 1 ? '' : 's'}`);
  }

  phase(step: Step, text: string): void {
    this.say(step, text);
  }

  rollout(step: Step, progress: RolloutProgress): void {
    this.say(step, rolloutText(progress));
  }

  finished(outcome: StepOutcome<StepReport>): void {
    const mark = outcome.status === 'done' ? '✓' : '✗';
    this.write(`${mark} ${title(outcome.step)}: ${verdictText(outcome)}`);
  }

  note(text: string): void {
    this.write(text);
  }

  stop(): void {}

  private say(step: Step, text: string): void {
    if (this.last.get(step.id) === text) return;
    this.last.set(step.id, text);
    this.write(`${title(step)}: ${text}`);
  }
}

type Chalk = Awaited<ReturnType<typeof colours>>;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The redrawn block: a line per step, finished ones marked; cut to the screen's height, oldest finished lines first. */
class LiveProgress implements UpProgress {
  private steps: Step[] = [];
  private readonly state = new Map<string, {text: string; mark?: 'done' | 'failed' | 'skipped'}>();
  private drawn = 0;
  private frame = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly chalk: Chalk) {
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.draw();
    }, 100);
    this.timer.unref();
  }

  planned(plan: Plan): void {
    this.steps = plan.steps.filter((step) => LABEL[step.kind]);
    for (const step of plan.steps) this.state.set(step.id, {text: 'waiting'});
    this.draw();
  }

  phase(step: Step, text: string): void {
    this.state.set(step.id, {text});
  }

  rollout(step: Step, progress: RolloutProgress): void {
    this.state.set(step.id, {text: rolloutText(progress)});
  }

  finished(outcome: StepOutcome<StepReport>): void {
    this.state.set(outcome.step.id, {text: verdictText(outcome), mark: outcome.status});
    this.draw();
  }

  note(text: string): void {
    this.clear();
    process.stderr.write(`${this.chalk.yellow(text)}\n`);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.draw();
    this.drawn = 0;
  }

  private lines(): string[] {
    const {chalk} = this;
    const envWidth = Math.max(0, ...this.steps.map((step) => step.env.length));
    const nameWidth = Math.max(0, ...this.steps.map((step) => step.name.length));
    const labelWidth = Math.max(0, ...this.steps.map((step) => LABEL[step.kind]!.length));
    const line = (step: Step) => {
      const state = this.state.get(step.id) ?? {text: 'waiting'};
      const mark = state.mark === 'done' ? chalk.green('✓') : state.mark === 'failed' ? chalk.red('✗') : state.mark === 'skipped' ? chalk.dim('-') : state.text === 'waiting' ? chalk.dim('·') : chalk.cyan(FRAMES[this.frame]);
      const text = state.mark === 'failed' ? chalk.red(state.text) : state.mark || state.text === 'waiting' ? chalk.dim(state.text) : state.text;
      return `${mark} ${step.env.padEnd(envWidth)}  ${LABEL[step.kind]!.padEnd(labelWidth)} ${step.name.padEnd(nameWidth)}  ${text}`;
    };
    const room = Math.max(3, (process.stderr.rows || 24) - 2);
    let shown = this.steps;
    if (shown.length > room) {
      const finished = shown.filter((step) => this.state.get(step.id)?.mark === 'done');
      const hidden = new Set(finished.slice(0, shown.length - room + 1).map((step) => step.id));
      shown = shown.filter((step) => !hidden.has(step.id));
      return [chalk.dim(`✓ ${hidden.size} more done`), ...shown.map(line)];
    }
    return shown.map(line);
  }

  private draw(): void {
    this.clear();
    const columns = process.stderr.columns || 100;
    const lines = this.lines().map((text) => truncate(text, columns - 1));
    if (lines.length === 0) return;
    process.stderr.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  private clear(): void {
    if (this.drawn > 0) process.stderr.write(`\u001B[${this.drawn}A\r\u001B[J`);
    this.drawn = 0;
  }
}
