import type {Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import type {Plan} from './plan.js';

/**
 * `gshift up --prune`: the apps and databases gshift created in the tenant's environments that
 * the file no longer declares there. Found by their ApplySet parents (the records `app create`
 * and `db create` write), so nothing gshift did not create is ever a candidate; their volumes
 * (and a database's credentials, without which the volume cannot be read) are kept unless
 * purgeData.
 */
export interface PruneCandidate {
  kind: 'app' | 'database';
  env: string;
  namespace: string;
  name: string;
}

export interface PruneReport extends PruneCandidate {
  /** Kind/name of what was (or, in a dry run, would be) deleted. */
  removed: string[];
  /** Kind/name of what holds data and stays. */
  kept: string[];
}

/** What --prune would remove in the plan's environments (reads only). */
export async function findPrunable(cluster: Cluster, plan: Plan): Promise<PruneCandidate[]> {
  const [{listRecords}, {listDbRecords}] = await Promise.all([import('../app/inventory.js'), import('../db/inventory.js')]);
  const perEnvironment = await Promise.all(
    plan.environments.map(async (environment) => {
      const {namespace} = environment;
      const [apps, databases] = await Promise.all([listRecords(cluster, namespace), listDbRecords(cluster, namespace)]);
      return [
        ...apps.filter((record) => !environment.apps.some((app) => app.name === record.app)).map((record) => ({kind: 'app' as const, env: environment.name, namespace, name: record.app})),
        ...databases.filter((record) => !environment.databases.some((database) => database.name === record.name)).map((record) => ({kind: 'database' as const, env: environment.name, namespace, name: record.name})),
      ];
    }),
  );
  return perEnvironment.flat();
}

/** Removes the candidates: the apps first (they may still use a database), then the databases. */
export async function prune(cluster: Cluster, candidates: readonly PruneCandidate[], options: {purgeData: boolean; dryRun: boolean}): Promise<PruneReport[]> {
  const {planDelete, deleteApp} = await import('../app/delete.js');
  const key = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;
  const reports: PruneReport[] = [];
  for (const candidate of [...candidates].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'app' ? -1 : 1))) {
    if (candidate.kind === 'app') {
      const plan = await planDelete(cluster, candidate.namespace, candidate.name, {purgeData: options.purgeData});
      if (!options.dryRun) await deleteApp(cluster, plan);
      reports.push({...candidate, removed: plan.remove.map(key), kept: plan.keep.map(key)});
    } else {
      const plan = await planDatabaseRemoval(cluster, candidate.namespace, candidate.name, {purgeData: options.purgeData});
      if (!options.dryRun) for (const ref of plan.remove) await cluster.delete(ref, {propagation: 'Background'});
      reports.push({...candidate, removed: plan.remove.map(key), kept: plan.keep.map(key)});
    }
  }
  return reports;
}

/**
 * SEAM (branch db brings `gshift db delete`): what removing a database deletes — the members of
 * its set, the StatefulSet first, and its record last — and keeps: its volume claims and its
 * credentials Secret, unless purgeData. Replace with db delete's plan once merged.
 */
async function planDatabaseRemoval(cluster: Cluster, namespace: string, name: string, options: {purgeData: boolean}): Promise<{remove: ObjectRef[]; keep: ObjectRef[]}> {
  const [{readDbRecord, dbParentName, dbParentRef}, {listMembers}, {parseGroupKinds, setId, APPLYSET_GROUP_KINDS_ANNOTATION}, {DB_LABEL}] = await Promise.all([
    import('../db/inventory.js'),
    import('../converge/inventory.js'),
    import('../converge/applyset.js'),
    import('../db/render.js'),
  ]);
  const record = await readDbRecord(cluster, namespace, name);
  if (!record) return {remove: [], keep: []};
  const toRef = (object: KubeObject): ObjectRef => ({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace});
  const members = await listMembers(cluster, namespace, setId(dbParentName(name), namespace), parseGroupKinds(record.parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]));
  const claims = (await cluster.list('v1', 'PersistentVolumeClaim', {namespace, labelSelector: `${DB_LABEL}=${name}`})).items.map((claim) => toRef({...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim'}));
  const isCredentials = (object: KubeObject) => object.kind === 'Secret' && object.metadata.name === name;
  const rank = (ref: ObjectRef) => (ref.kind === 'StatefulSet' ? 0 : 1);
  const data = [...members.filter(isCredentials).map(toRef), ...claims];
  const remove = [...members.filter((member) => options.purgeData || !isCredentials(member)).map(toRef).sort((a, b) => rank(a) - rank(b)), ...(options.purgeData ? claims : []), dbParentRef(name, namespace)];
  return {remove, keep: options.purgeData ? [] : data};
}
