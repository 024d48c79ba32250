import type {Cluster} from '../cluster/index.js';
import type {FollowOptions, RolloutResult} from '../rollout/follow.js';

export interface WaitOptions {
  app: string;
  namespace: string;
  /** The app's Deployments, in apply order (one for every stack today). */
  deployments: readonly string[];
  /** For all of them together. */
  timeoutMs: number;
  onUpdate?: FollowOptions['onUpdate'];
  onNote?: FollowOptions['onNote'];
  signal?: AbortSignal;
}

/**
 * Follows the rollout of each of the app's Deployments to its verdict (see src/rollout): resolves
 * when all are complete, rejects with the first ROLLOUT_FAILED diagnosis or TIMED_OUT.
 */
export async function waitForRollout(cluster: Cluster, options: WaitOptions): Promise<RolloutResult[]> {
  const {followRollout} = await import('../rollout/follow.js');
  const deadline = Date.now() + options.timeoutMs;
  const results: RolloutResult[] = [];
  for (const name of options.deployments) {
    results.push(
      await followRollout(cluster, {
        namespace: options.namespace,
        name,
        app: options.app,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        ...(options.onUpdate ? {onUpdate: options.onUpdate} : {}),
        ...(options.onNote ? {onNote: options.onNote} : {}),
        ...(options.signal ? {signal: options.signal} : {}),
      }),
    );
  }
  return results;
}
