import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import type {TenantRun} from './create.js';
import {type QuotaUse, byPromotionOrder, findTenantNamespaces, quotaUse} from './namespaces.js';

export interface TenantListing {
  name: string;
  environments: {env: string; namespace: string; phase: string; quota: QuotaUse[]}[];
}

/** `gshift tenant list`: tenants found by label, their environments and quota use. */
export async function listTenants(run: Pick<TenantRun, 'cluster' | 'cwd'>): Promise<TenantListing[]> {
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
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
