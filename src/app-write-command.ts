import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from './base-command.js';
import type {Cluster, ObjectRef} from './cluster/index.js';
import {timeoutFlag} from './flags.js';
import type {RolloutResult} from './rollout/follow.js';
import type {AppApplyResult, ApplyTracker} from './app/apply.js';
import type {WaitOptions} from './app/wait.js';

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
  protected readonly tracker: ApplyTracker & {deleted: ObjectRef[]} = {applied: [], deleted: []};
  private waitingFor?: string;

  override async init(): Promise<void> {
    await super.init();
    this.interruptedSummary = () => {
      const parts: string[] = [];
      if (this.tracker.applied.length > 0) parts.push(`applied ${describe(this.tracker.applied)} to ${this.tracker.namespace}`);
      if (this.tracker.deleted.length > 0) parts.push(`deleted ${describe(this.tracker.deleted)}`);
      if (this.waitingFor) parts.push(`the rollout of ${this.waitingFor} was still in progress`);
      return parts.length > 0 ? parts.join('; ') : undefined;
    };
  }

  /** "gshift/v0.1.0": the ApplySet tooling annotation. */
  protected tooling(): string {
    return `gshift/v${this.config.version}`;
  }

  /**
   * The end every changing command shares: what was applied (or "No changes"), then the
   * rollout followed unless --no-wait. Returns the rollout results for --json.
   */
  protected async report(
    cluster: Cluster,
    result: {app: string; namespace: string; changed: boolean; deployments: string[]; warnings?: string[]; dryRun?: string} & Partial<Pick<AppApplyResult, 'outcomes' | 'pruned' | 'kept'>>,
    options: {wait: boolean; timeoutMs: number; done: string; unchanged?: string},
  ): Promise<RolloutResult[] | undefined> {
    const {applyLines} = await import('./ui/app-views.js');
    for (const warning of result.warnings ?? []) this.warnUser(warning);
    if (!result.changed) {
      this.print(options.unchanged ?? `No changes: app ${result.app} is up to date.`);
      return options.wait ? this.checkHealth(cluster, result, options.timeoutMs) : undefined;
    }
    if (result.outcomes) this.print(applyLines({outcomes: result.outcomes, pruned: result.pruned ?? [], kept: result.kept ?? []}, {dryRun: Boolean(result.dryRun)}).join('\n'));
    this.print(options.done);
    if (!options.wait || result.deployments.length === 0) return undefined;
    const applied = result.outcomes?.map((outcome) => outcome.object);
    return this.followRollout(cluster, {app: result.app, namespace: result.namespace, deployments: result.deployments, timeoutMs: options.timeoutMs, ...(applied ? {applied} : {})});
  }

  /**
   * Nothing changed, so no rollout is under way: a healthy app is left at that; an unhealthy one
   * is followed, so the run still ends with its diagnosis.
   */
  private async checkHealth(cluster: Cluster, result: {app: string; namespace: string; deployments: string[]}, timeoutMs: number): Promise<RolloutResult[] | undefined> {
    const {unhealthyApp} = await import('./app/status.js');
    const problem = await unhealthyApp(cluster, result.namespace, result.deployments);
    if (!problem) return undefined;
    this.note(`${result.app} is not healthy (${problem}); following its rollout.`);
    return this.followRollout(cluster, {app: result.app, namespace: result.namespace, deployments: result.deployments, timeoutMs});
  }

  /**
   * Loads what reporting and following a rollout need while the apply waits on the server, so the
   * follow starts the moment the apply ends (module loading costs tens of milliseconds). Deferred
   * a turn, so the request the caller is about to send goes first.
   */
  protected prepareToFollow(): void {
    setImmediate(() => void Promise.all([import('./ui/app-views.js'), import('./app/wait.js'), import('./ui/rollout-view.js'), import('./rollout/follow.js')]).catch(() => {}));
  }

  /** Follows the rollout with the live view; resolves when complete, prints the diagnosis and throws when not. */
  protected async followRollout(cluster: Cluster, options: Pick<WaitOptions, 'app' | 'namespace' | 'deployments' | 'timeoutMs' | 'applied'>): Promise<RolloutResult[]> {
    const [{waitForRollout}, {presentRollout}] = await Promise.all([import('./app/wait.js'), import('./ui/rollout-view.js')]);
    this.waitingFor = options.app;
    try {
      return await presentRollout(options.app, {json: this.jsonEnabled()}, (hooks) => waitForRollout(cluster, {...options, ...hooks}));
    } finally {
      this.waitingFor = undefined;
    }
  }
}
