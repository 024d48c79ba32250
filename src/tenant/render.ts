import type {KubeObject} from '../cluster/index.js';
import {renderAccess} from './access.js';
import {SETTINGS_ANNOTATION, tenantLabels} from '../core/labels.js';
import {type NetworkSettings, renderNetworkPolicies} from './network-policies.js';
import {FIXED_QUOTA} from './quota.js';
import {type EnvironmentPlan, writeSettings} from './settings.js';

export {type NetworkSettings} from './network-policies.js';

export const QUOTA_NAME = 'gshift-quota';
export const LIMIT_RANGE_NAME = 'gshift-limits';

/** Per-container defaults, so pods that declare no resources are still admitted under the quota. */
export const CONTAINER_DEFAULTS = {
  defaultRequest: {cpu: '100m', memory: '128Mi'},
  default: {cpu: '500m', memory: '512Mi'},
} as const;

export interface RenderInput {
  plan: EnvironmentPlan;
  /** Pinned Pod Security Standards version, e.g. v1.36. */
  podSecurityVersion: string;
  network: NetworkSettings;
}

/**
 * Everything one tenant environment consists of, Namespace first. Pure: the same input gives
 * byte-identical objects, which is what makes a second `tenant create` a no-op. Only fields
 * gshift owns are set, so server-side apply never sees a difference from the server's defaults.
 */
export function renderEnvironment({plan, podSecurityVersion, network}: RenderInput): KubeObject[] {
  const labels = tenantLabels(plan.tenant, plan.env);
  const pss: Record<string, string> = {};
  for (const mode of ['enforce', 'warn', 'audit']) {
    pss[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    pss[`pod-security.kubernetes.io/${mode}-version`] = podSecurityVersion;
  }
  // OpenShift's label syncer would otherwise rewrite the Pod Security labels from the SCCs.
  if (network.platform === 'openshift') pss['security.openshift.io/scc.podSecurityLabelSync'] = 'false';
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: plan.namespace, labels: {...labels, ...pss}, annotations: {[SETTINGS_ANNOTATION]: writeSettings(plan.settings)}},
  };
  const quota: KubeObject = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: {name: QUOTA_NAME, namespace: plan.namespace, labels},
    spec: {hard: {...plan.quota, ...FIXED_QUOTA}},
  };
  const limits: KubeObject = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: {name: LIMIT_RANGE_NAME, namespace: plan.namespace, labels},
    spec: {limits: [{type: 'Container', ...CONTAINER_DEFAULTS}]},
  };
  const inNamespace = (object: KubeObject): KubeObject => ({...object, metadata: {...object.metadata, namespace: plan.namespace}});
  return [namespace, quota, limits, ...renderNetworkPolicies(network, labels).map(inNamespace), ...renderAccess(plan, labels).map(inNamespace)];
}

/** `Kind/name`, how objects are named in reports and in the prune inventory. */
export function objectKey(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** The ApplySet parent that records what a tenant consists of in each of its namespaces. */
export function tenantSetName(tenant: string): string {
  return `gshift-tenant-${tenant}`;
}

