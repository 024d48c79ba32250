import type {Cluster, KubeObject} from '../cluster/index.js';
import {acrossEnvironments} from '../core/environments.js';
import type {Deployment} from '../rollout/objects.js';
import {APP_LABEL, STACK_LABEL} from '../core/labels.js';
import {replicasOf, urlOf} from './health.js';
import {listRecords, requireNamespaceToRead} from './inventory.js';
import {imagesOf} from './revisions.js';
import {readStoredInputs} from './stored-inputs.js';

export interface AppSummary {
  name: string;
  stack?: string;
  image?: string;
  ready: number;
  desired: number;
  /** When the app was first created (its parent's creation time). */
  createdAt?: string;
  url?: string;
}

/** The apps in a namespace, from their parents, with one list per kind rather than a read per app. */
export async function listApps(cluster: Cluster, namespace: string): Promise<AppSummary[]> {
  const records = await listRecords(cluster, namespace);
  if (records.length === 0) {
    // "No apps" would hide a mistyped -n or --tenant: listing in a missing namespace finds nothing too.
    await requireNamespaceToRead(cluster, namespace);
    return [];
  }
  const discovery = await cluster.discovery();
  const byApp = (items: KubeObject[]) => new Map(items.map((item) => [item.metadata.labels?.[APP_LABEL] ?? '', item]));
  const labelSelector = APP_LABEL;
  const [deployments, routes, ingresses] = await Promise.all([
    cluster.list<Deployment>('apps/v1', 'Deployment', {namespace, labelSelector}).then((list) => byApp(list.items)),
    discovery.has('route.openshift.io/v1') ? cluster.list('route.openshift.io/v1', 'Route', {namespace, labelSelector}).then((list) => byApp(list.items.map((item) => ({...item, kind: 'Route'})))) : new Map<string, KubeObject>(),
    discovery.has('networking.k8s.io/v1') ? cluster.list('networking.k8s.io/v1', 'Ingress', {namespace, labelSelector}).then((list) => byApp(list.items.map((item) => ({...item, kind: 'Ingress'})))) : new Map<string, KubeObject>(),
  ]);
  return records.map((record) => {
    const deployment = deployments.get(record.app) as Deployment | undefined;
    const stored = readStoredInputs(record);
    const replicas = deployment ? replicasOf(deployment) : undefined;
    return {
      name: record.app,
      stack: stored?.stack ?? record.parent.metadata.labels?.[STACK_LABEL],
      image: deployment ? imagesOf(deployment.spec?.template)[0] : stored?.image,
      ready: replicas?.ready ?? 0,
      desired: replicas?.desired ?? 0,
      createdAt: record.parent.metadata.creationTimestamp as string | undefined,
      url: urlOf(routes.get(record.app) ?? ingresses.get(record.app)),
    };
  });
}

export interface EnvironmentApps {
  env: string;
  namespace: string;
  apps: AppSummary[];
}

/**
 * `app list -A`: a tenant's apps in each of its environments (`<tenant>-<env>` for the config's
 * environments), in the config's order. An environment the tenant does not have is left out;
 * one the user may not read is reported as a warning by the caller.
 */
export async function listTenantApps(
  cluster: Cluster,
  tenant: string,
  environments: readonly string[],
): Promise<{environments: EnvironmentApps[]; unreadable: {namespace: string; reason: string}[]}> {
  const reading = await acrossEnvironments(tenant, environments, (namespace) => listApps(cluster, namespace));
  return {environments: reading.found.map(({env, namespace, value}) => ({env, namespace, apps: value})), unreadable: reading.unreadable};
}
