import {describe, expect, it} from '@jest/globals';

import type {KubeObject} from '../../../src/cluster/index.ts';
import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {renderEnvironment} from '../../../src/tenant/render.ts';
import {planCreate} from '../../../src/tenant/settings.ts';

const config = {environments: DEFAULT_CONFIG.environments, haEnvironments: DEFAULT_CONFIG.haEnvironments};
const network = {platform: 'kubernetes' as const, ingressNamespaceLabel: 'gshift.io/ingress=true', monitoringNamespaceLabel: 'gshift.io/monitoring=true'};

function render(env: string, flags: Partial<Parameters<typeof planCreate>[0]> = {}, platform: 'kubernetes' | 'openshift' = 'kubernetes'): KubeObject[] {
  const plan = planCreate({name: 'shop', ciAccount: false, adopt: false, admins: ['shop-admins'], developers: ['shop-devs'], ...flags}, config);
  return renderEnvironment({plan: plan.environments.find((entry) => entry.env === env)!, podSecurityVersion: 'v1.36', network: {...network, platform}});
}

const find = (objects: KubeObject[], kind: string, name?: string) => objects.find((object) => object.kind === kind && (name === undefined || object.metadata.name === name));

describe('rendering a tenant environment', () => {
  it('puts the Namespace first, labelled for the tenant with Pod Security restricted pinned to a version', () => {
    const objects = render('dev');
    expect(objects[0]!.kind).toBe('Namespace');
    expect(objects[0]!.metadata.name).toBe('shop-dev');
    expect(objects[0]!.metadata.labels).toMatchObject({
      'gshift.io/tenant': 'shop',
      'gshift.io/env': 'dev',
      'app.kubernetes.io/managed-by': 'gshift',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.36',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.36',
    });
  });

  it('labels every object with the tenant, so prune can find exactly these', () => {
    for (const object of render('prod', {ciAccount: true, viewers: ['auditors']})) {
      expect(object.metadata.labels).toMatchObject({'gshift.io/part-of-tenant': 'shop', 'app.kubernetes.io/managed-by': 'gshift'});
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('shop-prod');
    }
  });

  it('sets a quota with no load balancers or node ports, and defaults for pods that declare no resources', () => {
    const objects = render('dev', {quota: 'cpu=1,pods=5'});
    expect(find(objects, 'ResourceQuota')!.spec).toEqual({
      hard: {
        'requests.cpu': '1',
        'limits.cpu': '2',
        'requests.memory': '4Gi',
        'limits.memory': '8Gi',
        'requests.storage': '20Gi',
        persistentvolumeclaims: '5',
        pods: '5',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    });
    expect(find(objects, 'LimitRange')!.spec).toEqual({
      limits: [{type: 'Container', defaultRequest: {cpu: '100m', memory: '128Mi'}, default: {cpu: '500m', memory: '512Mi'}}],
    });
  });

  it('denies all ingress, then allows the namespace itself, the ingress namespaces and monitoring (plain Kubernetes labels)', () => {
    const policies = render('dev').filter((object) => object.kind === 'NetworkPolicy');
    expect(Object.fromEntries(policies.map((policy) => [policy.metadata.name, policy.spec]))).toEqual({
      'gshift-deny-all-ingress': {podSelector: {}, policyTypes: ['Ingress']},
      'gshift-allow-same-namespace': {podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{podSelector: {}}]}]},
      'gshift-allow-from-ingress': {podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{namespaceSelector: {matchLabels: {'gshift.io/ingress': 'true'}}}]}]},
      'gshift-allow-from-monitoring': {podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{namespaceSelector: {matchLabels: {'gshift.io/monitoring': 'true'}}}]}]},
    });
  });

  it("uses OpenShift's policy groups for the router and monitoring on OpenShift, and stops its Pod Security label sync", () => {
    const objects = render('dev', {}, 'openshift');
    expect(find(objects, 'NetworkPolicy', 'gshift-allow-from-ingress')!.spec).toMatchObject({ingress: [{from: [{namespaceSelector: {matchLabels: {'policy-group.network.openshift.io/ingress': ''}}}]}]});
    expect(find(objects, 'NetworkPolicy', 'gshift-allow-from-monitoring')!.spec).toMatchObject({
      ingress: [{from: [{namespaceSelector: {matchLabels: {'gshift.io/monitoring': 'true'}}}, {namespaceSelector: {matchLabels: {'network.openshift.io/policy-group': 'monitoring'}}}]}],
    });
    expect(objects[0]!.metadata.labels!['security.openshift.io/scc.podSecurityLabelSync']).toBe('false');
  });

  it('gives developers edit in dev and test, view in acc and prod; admins admin everywhere', () => {
    const roles = (env: string) =>
      render(env)
        .filter((object) => object.kind === 'RoleBinding')
        .map((binding) => [binding.metadata.name, (binding.roleRef as {name: string}).name, (binding.subjects as {name: string}[]).map((subject) => subject.name)]);
    expect(roles('dev')).toEqual([
      ['gshift-admins-admin', 'admin', ['shop-admins']],
      ['gshift-developers-edit', 'edit', ['shop-devs']],
    ]);
    expect(roles('test')).toContainEqual(['gshift-developers-edit', 'edit', ['shop-devs']]);
    expect(roles('acc')).toContainEqual(['gshift-developers-view', 'view', ['shop-devs']]);
    expect(roles('prod')).toEqual([
      ['gshift-admins-admin', 'admin', ['shop-admins']],
      ['gshift-developers-view', 'view', ['shop-devs']],
    ]);
  });

  it('adds a CI ServiceAccount bound to edit only when asked', () => {
    expect(find(render('dev'), 'ServiceAccount')).toBeUndefined();
    const objects = render('prod', {ciAccount: true});
    expect(find(objects, 'ServiceAccount', 'gshift-ci')).toBeDefined();
    expect(find(objects, 'RoleBinding', 'gshift-ci-edit')).toMatchObject({roleRef: {name: 'edit'}, subjects: [{kind: 'ServiceAccount', name: 'gshift-ci', namespace: 'shop-prod'}]});
  });

  it('is deterministic: the same input renders byte-identical objects', () => {
    expect(JSON.stringify(render('acc', {ciAccount: true}))).toBe(JSON.stringify(render('acc', {ciAccount: true})));
  });
});
