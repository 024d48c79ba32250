import type {KubeObject} from '../cluster/index.js';
import {MEMBER_ROLE_LABEL} from '../core/labels.js';
import type {EnvironmentPlan} from './settings.js';

export const CI_SERVICE_ACCOUNT = 'gshift-ci';
export type MemberRole = 'admins' | 'developers' | 'viewers' | 'ci';
const RBAC = 'rbac.authorization.k8s.io';

/** Which built-in ClusterRole each kind of member gets: developers may change only environments without high availability. */
export function clusterRoleFor(role: MemberRole, ha: boolean): 'admin' | 'edit' | 'view' {
  if (role === 'admins') return 'admin';
  if (role === 'developers' || role === 'ci') return role === 'developers' && ha ? 'view' : 'edit';
  return 'view';
}

/**
 * RoleBindings to the cluster roles admin/edit/view, one per kind of member. The name carries
 * the role because a RoleBinding's roleRef cannot change: when an environment's developer role
 * changes, gshift creates the new binding and prunes the old one.
 */
export function renderAccess(plan: EnvironmentPlan, labels: Record<string, string>): KubeObject[] {
  const objects: KubeObject[] = [];
  const {members, ciAccount} = plan.settings;
  if (ciAccount) objects.push({apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: CI_SERVICE_ACCOUNT, labels}});
  const groups: [MemberRole, string[]][] = [
    ['admins', members.admins],
    ['developers', members.developers],
    ['viewers', members.viewers],
  ];
  for (const [role, names] of groups) {
    if (names.length === 0) continue;
    objects.push(binding(role, clusterRoleFor(role, plan.ha), labels, names.map((name) => ({kind: 'Group', apiGroup: RBAC, name}))));
  }
  if (ciAccount) objects.push(binding('ci', clusterRoleFor('ci', plan.ha), labels, [{kind: 'ServiceAccount', name: CI_SERVICE_ACCOUNT, namespace: plan.namespace}]));
  return objects;
}

function binding(role: MemberRole, clusterRole: string, labels: Record<string, string>, subjects: Record<string, string>[]): KubeObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'RoleBinding',
    metadata: {name: `gshift-${role}-${clusterRole}`, labels: {...labels, [MEMBER_ROLE_LABEL]: role}},
    roleRef: {apiGroup: RBAC, kind: 'ClusterRole', name: clusterRole},
    subjects,
  };
}
