import type {Cluster, ObjectRef} from '../cluster/index.js';
import {APP_LABEL, MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';
import {keptAsData} from '../converge/applyset.js';
import {listMembers} from '../converge/inventory.js';
import {appApplysetId, parentRef} from './applyset.js';
import {readRecord} from './inventory.js';
import {envSecretName} from './env.js';

export interface DeletePlan {
  app: string;
  namespace: string;
  /** False when there is no such app: nothing to do. */
  exists: boolean;
  /** What will be deleted, workloads first, the ApplySet parent last. */
  remove: ObjectRef[];
  /** Volume claims that stay (unless --purge-data). */
  keep: ObjectRef[];
}

// Workloads first, so their pods stop before the configuration they read goes away.
const FIRST = ['Deployment', 'StatefulSet', 'HorizontalPodAutoscaler'];

/**
 * What `app delete` removes: every member of the app's ApplySet, the env Secret gshift made
 * for it, and the parent; nothing it did not create. Claims are kept unless `purgeData`: they
 * keep their part-of label, so creating the app again finds and reuses them.
 */
export async function planDelete(cluster: Cluster, namespace: string, app: string, options: {purgeData?: boolean} = {}): Promise<DeletePlan> {
  const record = await readRecord(cluster, namespace, app);
  const toRef = (object: {apiVersion: string; kind: string; metadata: {name?: string}}): ObjectRef => ({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace});
  if (!record) {
    // A delete without --purge-data left the claims behind, still labelled as the app's: the
    // --purge-data its message suggests must find them although the parent is gone.
    const leftovers = options.purgeData ? await listMembers(cluster, namespace, appApplysetId(app, namespace), ['PersistentVolumeClaim', 'Secret']) : [];
    return {app, namespace, exists: leftovers.length > 0, remove: leftovers.map(toRef), keep: []};
  }
  const members = await listMembers(cluster, namespace, record.id, record.groupKinds);
  const isData = keptAsData(members);
  const keep = options.purgeData ? [] : members.filter(isData).map(toRef);
  const remove = members
    .filter((member) => options.purgeData || !isData(member))
    .map(toRef)
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  const secret = await cluster.get({apiVersion: 'v1', kind: 'Secret', name: envSecretName(app), namespace});
  if (secret && secret.metadata.labels?.[APP_LABEL] === app && secret.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER) {
    remove.push({apiVersion: 'v1', kind: 'Secret', name: envSecretName(app), namespace});
  }
  remove.push(parentRef(app, namespace));
  return {app, namespace, exists: true, remove, keep};
}

const rank = (kind: string) => {
  const index = FIRST.indexOf(kind);
  return index === -1 ? FIRST.length : index;
};

/** Deletes what the plan lists; returns what was actually there to delete. */
export async function deleteApp(cluster: Cluster, plan: DeletePlan, tracker: {deleted: ObjectRef[]} = {deleted: []}): Promise<ObjectRef[]> {
  for (const ref of plan.remove) {
    if (await cluster.delete(ref, {propagation: 'Background'})) tracker.deleted.push(ref);
  }
  return [...tracker.deleted];
}
