import {loadConfig} from '../config/load.js';
import type {TenantRun} from './create.js';
import {type QuotaUse, byPromotionOrder, findTenantNamespaces, quotaUse, withCluster} from './status.js';

export interface TenantListing {
  name: string;
  environments: {env: string; namespace: string; phase: string; quota: QuotaUse[]}[];
}

/** `gshift tenant list`: tenants found by label, their environments and quota use. */
export async function listTenants(run: Pick<TenantRun, 'cluster' | 'cwd'>): Promise<TenantListing[]> {
  const {values: config} = await loadConfig(run.cwd);
  return withCluster(run.cluster, async (cluster) => {
    const namespaces = await findTenantNamespaces(cluster);
    const withQuota = await Promise.all(namespaces.map(async (entry) => ({entry, quota: await quotaUse(cluster, entry.namespace)})));
    const tenants = new Map<string, TenantListing>();
    for (const {entry, quota} of withQuota) {
      const listing = tenants.get(entry.tenant) ?? {name: entry.tenant, environments: []};
      listing.environments.push({env: entry.env, namespace: entry.namespace, phase: entry.phase, quota});
      tenants.set(entry.tenant, listing);
    }
    const order = byPromotionOrder(config.environments);
    return [...tenants.values()].map((tenant) => ({...tenant, environments: tenant.environments.sort(order)}));
  });
}
