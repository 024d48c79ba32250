import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import {notFoundError} from '../errors.js';
import {type MemberRole, CI_SERVICE_ACCOUNT} from './access.js';
import {MEMBER_ROLE_LABEL, SETTINGS_ANNOTATION, tenantPartSelector} from '../core/labels.js';
import type {TenantRun} from './create.js';
import {checkTenantName, readSettings} from './settings.js';
import {type QuotaUse, byPromotionOrder, findTenantNamespaces, quotaUse} from './namespaces.js';
import {byCodePoint} from '../core/order.js';

export interface Membership {
  role: MemberRole;
  clusterRole: string;
  /** Group names, or system:serviceaccount:NS:NAME for the CI account. */
  subjects: string[];
}

export interface EnvironmentDetails {
  env: string;
  namespace: string;
  phase: string;
  /** e.g. "restricted (v1.36)". */
  podSecurity: string;
  quota: QuotaUse[];
  members: Membership[];
  policies: string[];
  ciAccount: boolean;
}

export interface TenantDetails {
  name: string;
  environments: EnvironmentDetails[];
}

interface Binding {
  metadata: {name?: string; labels?: Record<string, string>};
  roleRef?: {name?: string};
  subjects?: {kind: string; name: string; namespace?: string}[];
}

/** `gshift tenant show`: per environment, what the quota allows and uses, who has access, which policies apply. */
export async function showTenant(name: string, run: Pick<TenantRun, 'cluster' | 'cwd'>): Promise<TenantDetails> {
  checkTenantName(name);
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    const namespaces = (await findTenantNamespaces(cluster, name)).sort(byPromotionOrder(config.environments));
    if (namespaces.length === 0) throw notFoundError(`There is no tenant "${name}".`, 'list tenants with gshift tenant list.', {tenant: name});
    const environments = await Promise.all(
      namespaces.map(async (entry): Promise<EnvironmentDetails> => {
        const selector = {namespace: entry.namespace, labelSelector: tenantPartSelector(name)};
        const [quota, bindings, policies] = await Promise.all([
          quotaUse(cluster, entry.namespace),
          cluster.list<Binding>('rbac.authorization.k8s.io/v1', 'RoleBinding', selector),
          cluster.list('networking.k8s.io/v1', 'NetworkPolicy', selector),
        ]);
        const labels = entry.object.metadata.labels ?? {};
        return {
          env: entry.env,
          namespace: entry.namespace,
          phase: entry.phase,
          podSecurity: `${labels['pod-security.kubernetes.io/enforce'] ?? 'not enforced'}${labels['pod-security.kubernetes.io/enforce-version'] ? ` (${labels['pod-security.kubernetes.io/enforce-version']})` : ''}`,
          quota,
          members: bindings.items.map(toMembership).sort((a, b) => byCodePoint(a.role, b.role)),
          policies: policies.items.map((policy) => policy.metadata.name ?? '').sort(),
          ciAccount: readSettings(entry.object.metadata.annotations?.[SETTINGS_ANNOTATION])?.ciAccount ?? bindings.items.some((binding) => binding.metadata.labels?.[MEMBER_ROLE_LABEL] === 'ci'),
        };
      }),
    );
    return {name, environments};
  });
}

function toMembership(binding: Binding): Membership {
  return {
    role: (binding.metadata.labels?.[MEMBER_ROLE_LABEL] ?? 'admins') as MemberRole,
    clusterRole: binding.roleRef?.name ?? '',
    subjects: (binding.subjects ?? []).map((subject) =>
      subject.kind === 'ServiceAccount' ? `system:serviceaccount:${subject.namespace}:${subject.name ?? CI_SERVICE_ACCOUNT}` : subject.name,
    ),
  };
}
