import type {Cluster, KubeObject} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {ENV_LABEL, TENANT_LABEL, tenantNamespaceSelector} from '../core/labels.js';
import {fractionUsed, parseQuantity} from '../core/quantity.js';
import {QUOTA_KEYS} from './quota.js';
import {QUOTA_NAME} from './render.js';
import {byCodePoint} from '../core/order.js';

export interface QuotaUse {
  /** ResourceQuota key, e.g. requests.cpu. */
  key: string;
  used: string;
  hard: string;
  /** used/hard, 0…1 (above 1 when a quota was lowered below use). */
  fraction: number;
}

export interface TenantNamespace {
  tenant: string;
  env: string;
  namespace: string;
  /** Active or Terminating. */
  phase: string;
  object: KubeObject;
}

/**
 * The namespaces gshift made for tenants (all of them, or one tenant's), found by label. Users
 * who may not list Namespaces on OpenShift may still list the Projects they can see.
 */
export async function findTenantNamespaces(cluster: Cluster, tenant?: string, env?: string): Promise<TenantNamespace[]> {
  const labelSelector = tenantNamespaceSelector(tenant, env);
  let items: KubeObject[];
  try {
    items = (await cluster.list('v1', 'Namespace', {labelSelector})).items;
  } catch (error) {
    if (!(error instanceof GshiftError && error.code === 'FORBIDDEN' && (await cluster.discovery()).has('project.openshift.io/v1'))) throw error;
    items = (await cluster.list('project.openshift.io/v1', 'Project', {labelSelector})).items;
  }
  return items
    .map((object) => ({
      tenant: object.metadata.labels?.[TENANT_LABEL] ?? '',
      env: object.metadata.labels?.[ENV_LABEL] ?? '',
      namespace: object.metadata.name ?? '',
      phase: (object.status as {phase?: string} | undefined)?.phase ?? 'Active',
      object,
    }))
    .sort((a, b) => byCodePoint(a.tenant, b.tenant));
}

/** Environments in the config's promotion order; unknown ones last, alphabetically. */
export function byPromotionOrder(environments: string[]) {
  const rank = (env: string) => (environments.includes(env) ? environments.indexOf(env) : environments.length);
  return (a: {env: string}, b: {env: string}) => rank(a.env) - rank(b.env) || byCodePoint(a.env, b.env);
}

/** Used against hard for the quota items gshift sets, from the quota's status. */
export async function quotaUse(cluster: Cluster, namespace: string): Promise<QuotaUse[]> {
  const quota = await cluster.get<KubeObject & {status?: {used?: Record<string, string>; hard?: Record<string, string>}}>({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    name: QUOTA_NAME,
    namespace,
  });
  const hard = quota?.status?.hard ?? (quota?.spec as {hard?: Record<string, string>} | undefined)?.hard ?? {};
  const used = quota?.status?.used ?? {};
  return QUOTA_KEYS.filter((key) => hard[key] !== undefined).map((key) => {
    const usedText = used[key] ?? '0';
    const hardQuantity = parseQuantity(hard[key]!);
    const usedQuantity = parseQuantity(usedText);
    return {key, used: usedText, hard: hard[key]!, fraction: hardQuantity && usedQuantity ? fractionUsed(usedQuantity, hardQuantity) : 0};
  });
}
