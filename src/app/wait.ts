import type {Cluster, KubeObject} from '../cluster/index.js';
import type {FollowOptions, RolloutResult} from '../rollout/follow.js';
import type {Deployment} from '../rollout/objects.js';

export interface WaitOptions {
  app: string;
  namespace: string;
  /** The app's Deployments, in apply order (one for every stack today). */
  deployments: readonly string[];
  /** For all of them together. */
  timeoutMs: number;
  /** The objects as the apply returned them: a Deployment among them is not read again. */
  applied?: readonly KubeObject[];
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
    const known = options.applied?.find((object) => object.kind === 'Deployment' && object.metadata.name === name && object.metadata.namespace === options.namespace) as Deployment | undefined;
    results.push(
      await followRollout(cluster, {
        namespace: options.namespace,
        name,
        app: options.app,
        timeoutMs: Math.max(1000, deadline - Date.now()),
        ...(known ? {known} : {}),
        ...(options.onUpdate ? {onUpdate: options.onUpdate} : {}),
        ...(options.onNote ? {onNote: options.onNote} : {}),
        ...(options.signal ? {signal: options.signal} : {}),
      }),
    );
  }
  return results;
}
