import {usageError} from '../errors.js';
import type {Deployment, PodTemplate, ReplicaSet} from '../rollout/objects.js';

/**
 * A Deployment's revision history, as `kubectl rollout history` reads it: each ReplicaSet the
 * Deployment owns carries the revision it was in `deployment.kubernetes.io/revision`.
 */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface Revision {
  revision: number;
  replicaSet: ReplicaSet;
  /** Container images, main container first. */
  images: string[];
  createdAt?: string;
}

export function revisionOf(object: {metadata: {annotations?: Record<string, string>}}): number | undefined {
  const value = Number(object.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

export function imagesOf(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((container) => container.image ?? '').filter(Boolean);
}

/** The ReplicaSets the Deployment controls, as revisions, oldest first. */
export function revisionHistory(deployment: Deployment, replicaSets: readonly ReplicaSet[]): Revision[] {
  const uid = deployment.metadata.uid;
  const owned = replicaSets.filter((replicaSet) => replicaSet.metadata.ownerReferences?.some((owner) => owner.controller && (uid === undefined || owner.uid === uid)));
  const revisions: Revision[] = [];
  for (const replicaSet of owned) {
    const revision = revisionOf(replicaSet);
    if (revision === undefined) continue;
    revisions.push({revision, replicaSet, images: imagesOf(replicaSet.spec?.template), createdAt: replicaSet.metadata.creationTimestamp});
  }
  return revisions.sort((a, b) => a.revision - b.revision);
}

export interface RollbackPlan {
  from: number;
  to: Revision;
}

/**
 * Which revision `rollback` returns to: --to-revision N, else the newest before the current one
 * (what `kubectl rollout undo` picks). Errors say which revisions exist.
 */
export function planRollback(deployment: Deployment, history: readonly Revision[], toRevision?: number): RollbackPlan {
  const name = deployment.metadata.name;
  const current = revisionOf(deployment) ?? history.at(-1)?.revision ?? 0;
  const listed = history.map((entry) => `${entry.revision} (${entry.images.join(', ')})`).join(', ');
  if (toRevision !== undefined) {
    const target = history.find((entry) => entry.revision === toRevision);
    if (!target) {
      throw usageError(`Deployment ${name} has no revision ${toRevision}${listed ? `; its history holds ${listed}` : ''}.`, 'pass --to-revision with one of the revisions listed (gshift app status shows the current one).', {
        revisions: history.map((entry) => entry.revision),
      });
    }
    if (toRevision === current) throw usageError(`Revision ${toRevision} is already the current revision of ${name}.`, 'pass --to-revision with an older revision.');
    return {from: current, to: target};
  }
  const previous = history.filter((entry) => entry.revision < current).at(-1);
  if (!previous) {
    throw usageError(`Deployment ${name} has no revision before the current one (${current}) to roll back to.`, 'deploy another image first, or check the history with gshift app status.');
  }
  return {from: current, to: previous};
}

/** The pod template to restore: the ReplicaSet's, without the label the controller adds to it. */
export function templateForRollback(replicaSet: ReplicaSet): PodTemplate {
  const template = structuredClone(replicaSet.spec?.template ?? {});
  if (template.metadata?.labels) {
    const {[TEMPLATE_HASH_LABEL]: _hash, ...labels} = template.metadata.labels;
    template.metadata.labels = labels;
  }
  return template;
}
