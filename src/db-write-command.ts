import {AppWriteCommand} from './app-write-command.js';
import type {Cluster} from './cluster/index.js';
import type {ApplyOutcome, ObjectRef} from './cluster/index.js';
import type {DbRolloutResult} from './db/wait.js';

/** The db commands that write: the app commands' Ctrl-C summary, and a database's rollout followed the same way. */
export abstract class DbWriteCommand extends AppWriteCommand {
  /**
   * What was applied (or "No changes"), then, unless --no-wait, the StatefulSet followed until
   * its pod is ready — also when nothing changed, so an unhealthy database still ends with why.
   */
  protected async reportDatabase(
    cluster: Cluster,
    result: {database: string; namespace: string; changed: boolean; created?: boolean; ha?: boolean; warnings: string[]; outcomes: ApplyOutcome[]; pruned: ObjectRef[]; kept: ObjectRef[]; dryRun?: string},
    options: {wait: boolean; timeoutMs: number},
  ): Promise<DbRolloutResult | undefined> {
    const {applyLines} = await import('./ui/app-views.js');
    for (const warning of result.warnings) this.warnUser(warning);
    if (!result.changed) {
      this.print(`No changes: database ${result.database} is up to date${result.dryRun ? ' (server dry run)' : ''}.`);
    } else {
      this.print(applyLines({outcomes: result.outcomes, pruned: result.pruned, kept: result.kept}, {dryRun: Boolean(result.dryRun)}).join('\n'));
      this.print(result.dryRun ? 'Nothing was saved (server dry run).' : `${result.created ? 'Created' : 'Updated'} database ${result.database} in ${result.namespace}.`);
    }
    if (!options.wait) return undefined;
    const [{followDatabase, followCluster, writtenStatefulSet}, {presentRollout}] = await Promise.all([import('./db/wait.js'), import('./ui/rollout-view.js')]);
    const follow = result.ha ? followCluster : followDatabase;
    return presentRollout(result.database, {json: this.jsonEnabled()}, (hooks) => follow(cluster, {namespace: result.namespace, name: result.database, timeoutMs: options.timeoutMs, known: writtenStatefulSet(result), ...hooks}));
  }
}
