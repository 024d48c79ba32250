import type {Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import {listMembers} from '../converge/inventory.js';
import {GshiftError} from '../errors.js';
import {type Attachment, dbParentName, dbParentRef, readDbRecord} from './inventory.js';
import {DB_LABEL} from './render.js';

export interface DbDeletePlan {
  database: string;
  namespace: string;
  /** False when there is nothing of that name: nothing to do. */
  exists: boolean;
  attached: Attachment[];
  /** What will be deleted, the StatefulSet first (its pod stops), the ApplySet parent last. */
  remove: ObjectRef[];
  /** The credentials and the volume claims, kept unless --purge-data. */
  keep: ObjectRef[];
}

const FIRST = ['StatefulSet', 'Cluster', 'CronJob', 'ScheduledBackup'];
const isData = (object: {apiVersion: string; kind: string}) => object.apiVersion === 'v1' && (object.kind === 'Secret' || object.kind === 'PersistentVolumeClaim');

/**
 * What `db delete` removes: the database's ApplySet (StatefulSet, Services, NetworkPolicy,
 * backup CronJob, or the CloudNativePG Cluster) and its parent. The credentials Secret and the
 * volume claims (the data, made by the StatefulSet controller from its template, and the backups)
 * stay unless `purgeData`: a later `db create` of the same name finds them and goes on with the
 * same data and password. Refuses while apps are attached, unless `force` (the caller detaches).
 */
export async function planDbDelete(cluster: Cluster, namespace: string, database: string, options: {purgeData?: boolean; force?: boolean} = {}): Promise<DbDeletePlan> {
  const record = await readDbRecord(cluster, namespace, database);
  const toRef = (object: KubeObject): ObjectRef => ({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace});
  // Claims and credentials by the database's label: the data claim is not a member of the set.
  // A CloudNativePG cluster's claims carry the operator's label instead.
  const [claims, secrets, instanceClaims] = await Promise.all([
    cluster.list<KubeObject>('v1', 'PersistentVolumeClaim', {namespace, labelSelector: `${DB_LABEL}=${database}`}),
    cluster.list<KubeObject>('v1', 'Secret', {namespace, labelSelector: `${DB_LABEL}=${database}`}),
    cluster.list<KubeObject>('v1', 'PersistentVolumeClaim', {namespace, labelSelector: `cnpg.io/cluster=${database}`}),
  ]);
  const data = [...secrets.items, ...claims.items, ...instanceClaims.items].map(toRef);
  if (!record) {
    return {database, namespace, exists: options.purgeData === true && data.length > 0, attached: [], remove: options.purgeData ? data : [], keep: []};
  }
  if (record.attached.length > 0 && !options.force) {
    const apps = record.attached.map((entry) => entry.app);
    throw new GshiftError('CONFLICT', `Database ${database} is attached to ${apps.length === 1 ? 'app' : 'apps'} ${apps.join(', ')}; deleting it would break ${apps.length === 1 ? 'it' : 'them'}.`, {
      hint: `detach first (gshift db detach ${database} --app ${apps[0]}), or add --force to detach ${apps.length === 1 ? 'it' : 'them'} as part of the delete.`,
      details: {database, namespace, attached: record.attached},
    });
  }
  const {parseGroupKinds, APPLYSET_GROUP_KINDS_ANNOTATION, setId} = await import('../converge/applyset.js');
  const members = await listMembers(cluster, namespace, setId(dbParentName(database), namespace), parseGroupKinds(record.parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]));
  const seen = new Set<string>();
  const unique = (refs: ObjectRef[]) => refs.filter((ref) => !seen.has(`${ref.kind}/${ref.name}`) && seen.add(`${ref.kind}/${ref.name}`));
  const remove = unique(members.filter((member) => !isData(member)).map(toRef)).sort((a, b) => rank(a.kind) - rank(b.kind));
  const kept = unique([...members.filter(isData).map(toRef), ...data]);
  if (options.purgeData) remove.push(...kept);
  remove.push(dbParentRef(database, namespace));
  return {database, namespace, exists: true, attached: record.attached, remove, keep: options.purgeData ? [] : kept};
}

const rank = (kind: string) => (FIRST.includes(kind) ? FIRST.indexOf(kind) : FIRST.length);

/** Deletes what the plan lists; returns what was there to delete. */
export async function deleteDatabase(cluster: Cluster, plan: DbDeletePlan, tracker: {deleted: ObjectRef[]} = {deleted: []}): Promise<ObjectRef[]> {
  for (const ref of plan.remove) {
    // The operator owns a Cluster's claims: orphaned, they outlive it as the data they are.
    const propagation = ref.kind === 'Cluster' && plan.keep.length > 0 ? 'Orphan' : 'Background';
    if (await cluster.delete(ref, {propagation})) tracker.deleted.push(ref);
  }
  return [...tracker.deleted];
}
