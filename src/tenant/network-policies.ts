import type {KubeObject} from '../cluster/index.js';

export interface NetworkSettings {
  platform: 'openshift' | 'kubernetes';
  /** `key=value` marking the router/ingress controller namespaces on plain Kubernetes. */
  ingressNamespaceLabel: string;
  /** `key=value` marking the monitoring namespace that scrapes tenant pods. */
  monitoringNamespaceLabel: string;
}

/** OpenShift labels its router namespaces with this policy group (OVN-Kubernetes and OpenShift SDN alike). */
const OPENSHIFT_INGRESS = {'policy-group.network.openshift.io/ingress': ''};
const OPENSHIFT_MONITORING = {'network.openshift.io/policy-group': 'monitoring'};

export const POLICY_NAMES = {
  denyAll: 'gshift-deny-all-ingress',
  sameNamespace: 'gshift-allow-same-namespace',
  ingress: 'gshift-allow-from-ingress',
  monitoring: 'gshift-allow-from-monitoring',
} as const;

function labelPair(pair: string): Record<string, string> {
  const index = pair.indexOf('=');
  return {[pair.slice(0, index)]: pair.slice(index + 1)};
}

function policy(name: string, labels: Record<string, string>, from?: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name, labels},
    spec: {podSelector: {}, policyTypes: ['Ingress'], ...(from ? {ingress: [{from}]} : {})},
  };
}

const fromNamespaces = (...selectors: Record<string, string>[]) => selectors.map((matchLabels) => ({namespaceSelector: {matchLabels}}));

/**
 * Ingress isolation: everything is denied, then allowed from the namespace itself, from the
 * platform's router and from monitoring. Policies are additive, so other tenants' namespaces —
 * matched by none of them — get nothing.
 */
export function renderNetworkPolicies(network: NetworkSettings, labels: Record<string, string>): KubeObject[] {
  const openshift = network.platform === 'openshift';
  const monitoring = labelPair(network.monitoringNamespaceLabel);
  return [
    policy(POLICY_NAMES.denyAll, labels),
    policy(POLICY_NAMES.sameNamespace, labels, [{podSelector: {}}]),
    policy(POLICY_NAMES.ingress, labels, fromNamespaces(openshift ? OPENSHIFT_INGRESS : labelPair(network.ingressNamespaceLabel))),
    policy(POLICY_NAMES.monitoring, labels, openshift ? fromNamespaces(monitoring, OPENSHIFT_MONITORING) : fromNamespaces(monitoring)),
  ];
}
