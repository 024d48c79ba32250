/**
 * Every label and annotation key gshift writes or selects on, and its one value of its own.
 * Apps in a tenant's namespaces carry `gshift.io/tenant` too, so the objects the tenant itself
 * consists of get `gshift.io/part-of-tenant` as well: pruning can never touch an app.
 */
/** The key of the standard "who manages this" label, and gshift's value for it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGER = 'gshift';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const TENANT_LABEL = 'gshift.io/tenant';
export const ENV_LABEL = 'gshift.io/env';
export const APP_LABEL = 'gshift.io/app';
export const STACK_LABEL = 'gshift.io/stack';
export const PART_OF_TENANT = 'gshift.io/part-of-tenant';
/** On RoleBindings: which of the tenant's member groups (admins, developers, viewers, ci) it grants. */
export const MEMBER_ROLE_LABEL = 'gshift.io/tenant-role';
/** On the Namespace: what was asked for (quota overrides, groups, CI account), so `update` changes only what it names. */
export const SETTINGS_ANNOTATION = 'gshift.io/tenant-settings';

/** Selects the Namespaces of every tenant, or of one. */
export function tenantNamespaceSelector(tenant?: string, env?: string): string {
  return [`${MANAGED_BY_LABEL}=${MANAGER}`, tenant ? `${TENANT_LABEL}=${tenant}` : TENANT_LABEL, ...(env ? [`${ENV_LABEL}=${env}`] : [])].join(',');
}

/** Selects the objects a tenant consists of inside one of its namespaces. */
export function tenantPartSelector(tenant: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGER},${PART_OF_TENANT}=${tenant}`;
}

export function tenantLabels(tenant: string, env: string): Record<string, string> {
  return {[MANAGED_BY_LABEL]: MANAGER, [TENANT_LABEL]: tenant, [ENV_LABEL]: env, [PART_OF_TENANT]: tenant};
}

/** Does a Namespace's label set say gshift made it for this tenant? */
export function isOwnedBy(labels: Record<string, string> | undefined, tenant: string): boolean {
  return labels?.[MANAGED_BY_LABEL] === MANAGER && labels?.[TENANT_LABEL] === tenant;
}
