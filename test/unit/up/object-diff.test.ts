import {describe, expect, it} from '@jest/globals';

import {objectDiff, selectFields, unifiedDiff} from '../../../src/up/object-diff.ts';
import {maskSecretChange} from '../../../src/core/secret-masking.ts';

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'web', namespace: 'shop-dev', resourceVersion: '42', uid: 'u-1', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z', annotations: {'deployment.kubernetes.io/revision': '3'}, managedFields: []},
  spec: {replicas: 2, template: {spec: {containers: [{name: 'web', image, terminationMessagePath: '/dev/termination-log'}]}}, ...extra},
  status: {replicas: 2, readyReplicas: 2},
});

describe('unified diffs', () => {
  it('shows each change with three lines of context and hunk headers', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const b = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i', 'j', 'k'];
    expect(unifiedDiff(a, b)).toEqual(['@@ -2,9 +2,10 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ' i', ' j', '+k']);
  });

  it('is empty for equal texts, and all additions for a new one', () => {
    expect(unifiedDiff(['x'], ['x'])).toEqual([]);
    expect(unifiedDiff([], ['x', 'y'])).toEqual(['@@ -0,0 +1,2 @@', '+x', '+y']);
  });
});

describe('the diff of one object', () => {
  it('leaves out what the server manages: resourceVersion, uid, managedFields, status, the revision annotation', () => {
    const text = objectDiff({title: 'shop-dev/Deployment/web', before: deployment('web:1') as never, after: deployment('web:2') as never, manager: 'gshift'});
    expect(text).toContain('--- shop-dev/Deployment/web (cluster)\n+++ shop-dev/Deployment/web (gshift.yaml)');
    expect(text).toContain('-          image: web:1');
    expect(text).toContain('+          image: web:2');
    expect(text).not.toMatch(/resourceVersion|uid|managedFields|readyReplicas|deployment\.kubernetes\.io\/revision/);
  });

  it('shows a new object with only the fields gshift sets, not the server\'s defaults', () => {
    const created = {
      ...deployment('web:1'),
      metadata: {
        name: 'web',
        namespace: 'shop-dev',
        managedFields: [
          {manager: 'gshift', operation: 'Apply', fieldsV1: {'f:metadata': {'f:name': {}}, 'f:spec': {'f:template': {'f:spec': {'f:containers': {'k:{"name":"web"}': {'.': {}, 'f:name': {}, 'f:image': {}}}}}}}},
        ],
      },
    };
    const text = objectDiff({title: 'shop-dev/Deployment/web', after: created as never, manager: 'gshift'});
    expect(text).toContain('(absent)');
    expect(text).toContain('+apiVersion: apps/v1\n+kind: Deployment\n+metadata:');
    expect(text).toContain('+          image: web:1');
    expect(text).not.toContain('terminationMessagePath');
    expect(text).not.toContain('replicas');
  });

  it('does not show the order of apiVersion, kind and metadata (an apply answers in another order than a read)', () => {
    const {apiVersion, kind, ...rest} = deployment('web:1');
    const reordered = {kind, ...rest, apiVersion};
    expect(objectDiff({title: 't', before: deployment('web:1') as never, after: reordered as never, manager: 'gshift'})).toBe('');
  });

  it('is empty when only server-managed fields differ', () => {
    const after = {...deployment('web:1'), metadata: {...deployment('web:1').metadata, resourceVersion: '43'}, status: {}};
    expect(objectDiff({title: 't', before: deployment('web:1') as never, after: after as never, manager: 'gshift'})).toBe('');
  });
});

describe('fields a field manager owns', () => {
  it('selects map fields, list items by key and by value', () => {
    const value = {a: 1, b: {c: 2, d: 3}, list: [{name: 'x', v: 1, w: 2}, {name: 'y', v: 3}], set: ['p', 'q']};
    const fields = {'f:b': {'f:c': {}}, 'f:list': {'k:{"name":"y"}': {'f:v': {}}}, 'f:set': {'v:"q"': {}}};
    expect(selectFields(value, fields)).toEqual({b: {c: 2}, list: [{v: 3}], set: ['q']});
  });
});

describe('Secrets in a diff', () => {
  const secret = (values: Record<string, string>) => ({apiVersion: 'v1', kind: 'Secret', metadata: {name: 'orders'}, data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]))});

  it('never shows a value, but says which keys changed', () => {
    const {before, after} = maskSecretChange(secret({password: 'old', user: 'app'}) as never, secret({password: 'new', user: 'app'}) as never);
    const text = objectDiff({title: 'shop-dev/Secret/orders', before: before as never, after: after as never, manager: 'gshift'});
    expect(text).not.toMatch(/old|new|YXBw/);
    expect(text).toContain('-  password: "••••"\n+  password: "•••• (changed)"');
    expect(text).not.toMatch(/[-+]\s+user:/);
  });
});
