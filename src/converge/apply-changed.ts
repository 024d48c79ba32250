import type {ApplyOptions, ApplyOutcome, Cluster, KubeObject} from '../cluster/index.js';
import {objectKey} from '../core/object-key.js';

/**
 * Objects outside any ApplySet (a tenant's Namespace, a certificate's Secret or cert-manager
 * Certificate), rehearsed as a server-side dry run and written only when that finds a change:
 * an apply that changes nothing is still a write request, and a re-run must make none. With
 * dryRun the rehearsal is the answer.
 */
export async function applyWhenChanged(cluster: Pick<Cluster, 'apply'>, objects: KubeObject[], options: Pick<ApplyOptions, 'namespace' | 'force' | 'dryRun'> = {}): Promise<ApplyOutcome[]> {
  const {dryRun, ...write} = options;
  const rehearsal = await cluster.apply(objects, {...write, dryRun: true});
  if (dryRun || rehearsal.every((outcome) => outcome.action === 'unchanged')) return rehearsal;
  // The rehearsal read every object: the apply need not read them again.
  return cluster.apply(objects, {...write, before: new Map(rehearsal.map((outcome) => [objectKey(outcome.ref), outcome.before]))});
}
