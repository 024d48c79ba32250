import {describe, expect, it} from '@jest/globals';

import {appApplysetId, appSet} from '../../../src/app/applyset.js';
import {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  applysetId,
  applysetParent,
  asMembers,
  groupKind,
  groupKindsOf,
  parseGroupKinds,
  planPrune,
} from '../../../src/converge/applyset.js';
import type {KubeObject} from '../../../src/cluster/index.js';

const object = (apiVersion: string, kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({apiVersion, kind, metadata: {name, ...extra}});

describe('ApplySet ids', () => {
  it('hashes name.namespace.kind.group as kubectl does (unpadded base64url of sha256)', () => {
    // echo -n "my-set.test.Secret." | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(applysetId({name: 'my-set', namespace: 'test', kind: 'Secret', group: ''})).toBe('applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1');
  });

  it("names an app's set after its parent ConfigMap, within a label value's 63 characters", () => {
    const id = appApplysetId('web', 'shop-dev');
    expect(id).toBe('applyset-SHhu0iFdJgjetkpbQUqrgbbrHcim8da9_F5LzPrbYaU-v1');
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    expect(appApplysetId('web', 'shop-test')).not.toBe(id);
  });
});

describe('group-kinds', () => {
  it('spells core kinds without a group and others as Kind.group, sorted and unique', () => {
    expect(groupKind('v1', 'Service')).toBe('Service');
    expect(groupKind('apps/v1', 'Deployment')).toBe('Deployment.apps');
    const objects = [object('apps/v1', 'Deployment', 'web'), object('v1', 'Service', 'web'), object('v1', 'ConfigMap', 'a'), object('v1', 'ConfigMap', 'b')];
    expect(groupKindsOf(objects)).toEqual(['ConfigMap', 'Deployment.apps', 'Service']);
    expect(parseGroupKinds(' Service,Deployment.apps,,Service')).toEqual(['Deployment.apps', 'Service']);
    expect(parseGroupKinds(undefined)).toEqual([]);
  });
});

describe('the parent and its members', () => {
  it('gives the parent the id label, tooling and group-kinds annotations, and the inputs', () => {
    const parent = applysetParent(appSet({app: 'web', namespace: 'shop-dev', tooling: 'gshift/v0.1.0', inputs: '{"stack":"nodejs"}', labels: {'gshift.io/stack': 'nodejs'}}), ['Service', 'Deployment.apps']);
    expect(parent).toMatchObject({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'gshift-app-web', namespace: 'shop-dev'}, data: {'inputs.json': '{"stack":"nodejs"}'}});
    expect(parent.metadata.labels).toMatchObject({[APPLYSET_ID_LABEL]: appApplysetId('web', 'shop-dev'), 'gshift.io/app': 'web', 'gshift.io/stack': 'nodejs'});
    expect(parent.metadata.annotations).toEqual({[APPLYSET_TOOLING_ANNOTATION]: 'gshift/v0.1.0', [APPLYSET_GROUP_KINDS_ANNOTATION]: 'Deployment.apps,Service'});
  });

  it('labels members as part of the set without changing the rendered objects', () => {
    const rendered = [object('v1', 'Service', 'web', {labels: {'app.kubernetes.io/name': 'nodejs'}})];
    const [member] = asMembers(rendered, appSet({app: 'web', namespace: 'shop-dev', tooling: 'gshift/v0', inputs: '{}'}));
    expect(member!.metadata.labels).toMatchObject({'app.kubernetes.io/name': 'nodejs', [APPLYSET_PART_OF_LABEL]: appApplysetId('web', 'shop-dev'), 'gshift.io/app': 'web', 'app.kubernetes.io/managed-by': 'gshift'});
    expect(member!.metadata.namespace).toBe('shop-dev');
    expect(rendered[0]!.metadata.labels).toEqual({'app.kubernetes.io/name': 'nodejs'});
  });
});

describe('pruning', () => {
  const existing = [
    object('apps/v1', 'Deployment', 'web'),
    object('v1', 'Service', 'web'),
    object('networking.k8s.io/v1', 'Ingress', 'web'),
    object('v1', 'PersistentVolumeClaim', 'web-data'),
    object('v1', 'ConfigMap', 'web-env', {deletionTimestamp: '2026-01-01T00:00:00Z'}),
  ];
  const desired = [object('apps/v1', 'Deployment', 'web'), object('v1', 'Service', 'web')];

  it('deletes the members the new render no longer has, but keeps volume claims', () => {
    const plan = planPrune(existing, desired);
    expect(plan.prune.map((item) => item.kind)).toEqual(['Ingress']);
    expect(plan.kept.map((item) => item.metadata.name)).toEqual(['web-data']);
  });

  it('keeps the credentials Secret beside a kept claim: data without its password is unreadable', () => {
    const withCredentials = [...existing, object('v1', 'Secret', 'web-credentials')];
    expect(planPrune(withCredentials, desired).kept.map((item) => item.metadata.name)).toEqual(['web-data', 'web-credentials']);
    expect(planPrune([object('v1', 'Secret', 'web-credentials')], desired).prune.map((item) => item.metadata.name)).toEqual(['web-credentials']);
  });

  it('deletes volume claims too when asked to purge data', () => {
    expect(planPrune(existing, desired, {purgeData: true}).prune.map((item) => item.kind)).toEqual(['Ingress', 'PersistentVolumeClaim']);
  });

  it('matches by group, kind and name, so a same-named object of another kind is not kept by accident', () => {
    const plan = planPrune([object('v1', 'ConfigMap', 'web')], [object('v1', 'Service', 'web')]);
    expect(plan.prune).toHaveLength(1);
  });
});
