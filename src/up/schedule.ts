import {type Step, type StepKind, dependantsOf} from './plan.js';

/**
 * Runs a plan's steps: each as soon as the steps it needs have succeeded, at most `concurrency`
 * at once; the dependants of a failed step are not run (skipped, naming the failure). Steps
 * that may start are taken by kind (namespaces, then databases, then apps, …), then in plan
 * order, so every environment makes progress at the same time.
 */
export type StepStatus = 'done' | 'failed' | 'skipped';

export interface StepOutcome<R> {
  step: Step;
  status: StepStatus;
  result?: R;
  error?: unknown;
  /** For a skipped step: the failed step it depended on. */
  blockedBy?: string;
}

export interface ScheduleOptions<R> {
  concurrency: number;
  onStart?(step: Step): void;
  onFinish?(outcome: StepOutcome<R>): void;
  /** Aborting starts no further step; those already running finish as they do. */
  signal?: AbortSignal;
}

const KIND_ORDER: StepKind[] = ['environment', 'database', 'certificate', 'app'];

/** `run` gets the step and the results of the steps it needs, by id. */
export async function runSteps<R>(steps: readonly Step[], run: (step: Step, needed: ReadonlyMap<string, R>) => Promise<R>, options: ScheduleOptions<R>): Promise<StepOutcome<R>[]> {
  const position = new Map(steps.map((step, index) => [step.id, index]));
  const outcomes = new Map<string, StepOutcome<R>>();
  const waiting = [...steps].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || position.get(a.id)! - position.get(b.id)!);
  const results = new Map<string, R>();
  let running = 0;

  return new Promise((resolve) => {
    const finish = (outcome: StepOutcome<R>) => {
      outcomes.set(outcome.step.id, outcome);
      options.onFinish?.(outcome);
    };
    const pump = () => {
      for (let index = 0; index < waiting.length && running < options.concurrency && !options.signal?.aborted; ) {
        const step = waiting[index]!;
        if (!step.needs.every((id) => outcomes.get(id)?.status === 'done')) {
          index++;
          continue;
        }
        waiting.splice(index, 1);
        running++;
        options.onStart?.(step);
        const needed = new Map(step.needs.map((id) => [id, results.get(id)!] as const));
        run(step, needed).then(
          (result) => {
            results.set(step.id, result);
            finish({step, status: 'done', result});
          },
          (error: unknown) => {
            finish({step, status: 'failed', error});
            for (const dependant of dependantsOf(steps, step.id)) {
              const at = waiting.indexOf(dependant);
              if (at === -1) continue;
              waiting.splice(at, 1);
              finish({step: dependant, status: 'skipped', blockedBy: step.id});
            }
          },
        ).finally(() => {
          running--;
          pump();
        });
      }
      if (running === 0) {
        // Aborted, or nothing left that can start: what remains is skipped.
        for (const step of waiting.splice(0)) finish({step, status: 'skipped'});
        resolve(steps.map((step) => outcomes.get(step.id)!));
      }
    };
    pump();
  });
}
