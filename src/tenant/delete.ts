import type {Cluster} from '../cluster/index.js';
import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import {GshiftError} from '../errors.js';
import type {TenantRun} from './create.js';
import {checkEnvironments, checkTenantName} from './settings.js';
import {type TenantNamespace, byPromotionOrder, findTenantNamespaces} from './namespaces.js';

/** What goes with a namespace: the things people would miss, counted. */
const CONTENT_KINDS = [
  {apiVersion: 'apps/v1', kind: 'Deployment', noun: 'deployment'},
  {apiVersion: 'apps/v1', kind: 'StatefulSet', noun: 'statefulset'},
  {apiVersion: 'v1', kind: 'Service', noun: 'service'},
  {apiVersion: 'v1', kind: 'PersistentVolumeClaim', noun: 'volume claim'},
] as const;

export interface DoomedNamespace {
  env: string;
  namespace: string;
  phase: string;
  /** e.g. {deployment: 3, "volume claim": 1}. */
  contents: Record<string, number>;
}

export interface DeleteRequest {
  name: string;
  env?: string;
  /** Wait until the namespaces are gone, up to this many milliseconds; 0: do not wait. */
  waitMs: number;
}

export interface DeleteReport {
  tenant: string;
  /** What was (or would have been) deleted. */
  namespaces: DoomedNamespace[];
  /** False when there was nothing to delete, or the user said no. */
  deleted: boolean;
  confirmed: boolean;
}

/**
 * `gshift tenant delete`: finds the tenant's namespaces by label, shows what goes with them,
 * asks (through `confirm`, which the command backs with a prompt or --yes), then deletes them.
 */
export async function deleteTenant(request: DeleteRequest, run: Pick<TenantRun, 'cluster' | 'cwd' | 'hooks'>, confirm: (doomed: DoomedNamespace[]) => Promise<boolean>): Promise<DeleteReport> {
  checkTenantName(request.name);
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  if (request.env !== undefined) checkEnvironments(request.name, [request.env], config);
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    const found = (await findTenantNamespaces(cluster, request.name, request.env)).sort(byPromotionOrder(config.environments));
    const doomed = await Promise.all(found.map((entry) => describe(cluster, entry)));
    const live = doomed.filter((entry) => entry.phase !== 'Terminating');
    if (live.length === 0) return {tenant: request.name, namespaces: doomed, deleted: false, confirmed: false};
    if (!(await confirm(live))) return {tenant: request.name, namespaces: live, deleted: false, confirmed: false};
    for (const entry of live) {
      run.hooks.progress?.(`Deleting ${entry.namespace}…`);
      await deleteNamespace(cluster, entry.namespace);
    }
    if (request.waitMs > 0) await waitUntilGone(cluster, live.map((entry) => entry.namespace), request.waitMs, run.hooks.progress);
    return {tenant: request.name, namespaces: live, deleted: true, confirmed: true};
  });
}

async function describe(cluster: Cluster, entry: TenantNamespace): Promise<DoomedNamespace> {
  const contents: Record<string, number> = {};
  if (entry.phase !== 'Terminating') {
    const counts = await Promise.all(CONTENT_KINDS.map(async ({apiVersion, kind}) => (await cluster.list(apiVersion, kind, {namespace: entry.namespace})).items.length));
    for (const [index, {noun}] of CONTENT_KINDS.entries()) if (counts[index]! > 0) contents[noun] = counts[index]!;
  }
  return {env: entry.env, namespace: entry.namespace, phase: entry.phase, contents};
}

/** Project admins on OpenShift may delete their Project but not its Namespace. */
async function deleteNamespace(cluster: Cluster, namespace: string): Promise<void> {
  try {
    await cluster.delete({apiVersion: 'v1', kind: 'Namespace', name: namespace}, {propagation: 'Background'});
  } catch (error) {
    if (!(error instanceof GshiftError && error.code === 'FORBIDDEN' && (await cluster.discovery()).has('project.openshift.io/v1'))) throw error;
    await cluster.delete({apiVersion: 'project.openshift.io/v1', kind: 'Project', name: namespace});
  }
}

async function waitUntilGone(cluster: Cluster, namespaces: string[], waitMs: number, progress?: (text: string) => void): Promise<void> {
  const deadline = Date.now() + waitMs;
  let remaining = namespaces;
  while (remaining.length > 0) {
    progress?.(`Waiting for ${remaining.join(', ')} to be gone…`);
    const present = await Promise.all(remaining.map(async (name) => ((await cluster.get({apiVersion: 'v1', kind: 'Namespace', name})) ? name : undefined)));
    remaining = present.filter((name): name is string => name !== undefined);
    if (remaining.length === 0) return;
    if (Date.now() > deadline) {
      throw new GshiftError('TIMED_OUT', `The namespace${remaining.length > 1 ? 's' : ''} ${remaining.join(', ')} ${remaining.length > 1 ? 'are' : 'is'} still being deleted.`, {
        hint: 'finalizers may be waiting for something; check with kubectl get namespace -o yaml, or wait longer with --timeout.',
        details: {namespaces: remaining},
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
