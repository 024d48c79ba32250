import {Flags} from '@oclif/core';

import {GshiftCommand} from '../base-command.js';
import type {Cluster, ObjectRef} from '../cluster/index.js';
import {timeoutFlag} from '../flags.js';
import type {RolloutResult} from '../rollout/follow.js';
import type {ApplyTracker} from './apply.js';

/** --wait/--no-wait and --timeout: every app command that changes pods waits like create. */
export const waitFlags = {
  wait: Flags.boolean({description: 'Wait for the rollout to finish (--no-wait returns once applied).', default: true, allowNo: true, env: 'GSHIFT_WAIT'}),
  timeout: timeoutFlag,
};

const describe = (refs: readonly ObjectRef[]) => {
  const kinds = [...new Set(refs.map((ref) => ref.kind))];
  return `${refs.length} object${refs.length === 1 ? '' : 's'} (${kinds.join(', ')})`;
};

/**
 * What the app commands that write share: the Ctrl-C summary of what was applied, and following
 * the rollout with the live view, timestamped lines in CI.
 */
export abstract class AppWriteCommand extends GshiftCommand {
  protected readonly tracker: ApplyTracker = {applied: []};
  private waitingFor?: string;

  override async init(): Promise<void> {
    await super.init();
    this.interruptedSummary = () => {
      const parts: string[] = [];
      if (this.tracker.applied.length > 0) parts.push(`applied ${describe(this.tracker.applied)} to ${this.tracker.namespace}`);
      if (this.waitingFor) parts.push(`the rollout of ${this.waitingFor} was still in progress`);
      return parts.length > 0 ? parts.join('; ') : undefined;
    };
  }

  /** "gshift/v0.1.0": the ApplySet tooling annotation. */
  protected tooling(): string {
    return `gshift/v${this.config.version}`;
  }

  /** Follows the rollout, with progress on stderr; resolves when complete, throws the diagnosis when not. */
  protected async followRollout(cluster: Cluster, options: {app: string; namespace: string; deployments: readonly string[]; timeoutMs: number}): Promise<RolloutResult[]> {
    const [{waitForRollout}, {startProgress}] = await Promise.all([import('./wait.js'), import('../ui/progress.js')]);
    this.waitingFor = options.app;
    const progress = await startProgress(`Waiting for the rollout of ${options.app}…`);
    try {
      const results = await waitForRollout(cluster, {
        ...options,
        onUpdate: (state) => progress.update(`Rolling out ${options.app}: ${state.available}/${state.desired} available, ${state.updated} updated${state.pods.length ? ` — ${state.pods.filter((pod) => pod.current).map((pod) => `${pod.name} ${pod.status}`).join(', ')}` : ''}`),
        onNote: (text) => progress.update(text),
      });
      progress.succeed(`${options.app} is rolled out (${results.map((result) => `${result.progress.available}/${result.progress.desired} available`).join(', ')}).`);
      return results;
    } catch (error) {
      progress.fail(`The rollout of ${options.app} did not complete.`);
      throw error;
    } finally {
      this.waitingFor = undefined;
    }
  }
}
