import {describe, expect, it} from '@jest/globals';

import {applyApp} from '../../../src/app/apply.js';
import {appApplysetId} from '../../../src/app/applyset.js';
import type {ApplyOptions, ApplyOutcome, Cluster, KubeObject, ObjectRef} from '../../../src/cluster/index.js';
import {GshiftError} from '../../../src/errors.js';

/** Just enough of a cluster to see what applyApp asks for, in order. */
function fakeCluster(existing: KubeObject[] = [], options: {rejectDryRun?: boolean; rejectKind?: string} = {}) {
  const calls: string[] = [];
  /** The objects of each apply call: what may go in one round trip. */
  const batches: string[][] = [];
  const store = new Map(existing.map((object) => [`${object.kind}/${object.metadata.name}`, object]));
  const cluster = {
    async get(ref: ObjectRef) {
      return store.get(`${ref.kind}/${ref.name}`);
    },
    async apply(objects: KubeObject[], applyOptions: ApplyOptions = {}) {
      if (applyOptions.dryRun && options.rejectDryRun) throw new GshiftError('FORBIDDEN', 'You may not patch deployments.apps.');
      batches.push(objects.map((object) => `${applyOptions.dryRun ? 'dry-run' : 'apply'} ${object.kind}/${object.metadata.name}`));
      const outcomes = objects.map((object) => {
        const key = `${object.kind}/${object.metadata.name}`;
        calls.push(`${applyOptions.dryRun ? 'dry-run' : 'apply'} ${key}`);
        if (object.kind === options.rejectKind) return undefined;
        const before = store.get(key);
        if (!applyOptions.dryRun) store.set(key, object);
        const outcome: ApplyOutcome = {ref: {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!}, action: before ? (JSON.stringify(before) === JSON.stringify(object) ? 'unchanged' : 'configured') : 'created', object, warnings: []};
        applyOptions.onApplied?.(outcome);
        return outcome;
      });
      if (outcomes.includes(undefined)) throw new GshiftError('FORBIDDEN', `You may not patch ${options.rejectKind!.toLowerCase()}s.`);
      return outcomes;
    },
    async list(apiVersion: string, kind: string, listOptions: {labelSelector?: string}) {
      const [, id] = (listOptions.labelSelector ?? '').split('=');
      return {items: [...store.values()].filter((object) => object.kind === kind && object.metadata.labels?.['applyset.kubernetes.io/part-of'] === id), resourceVersion: '1'};
    },
    async delete(ref: ObjectRef) {
      calls.push(`delete ${ref.kind}/${ref.name}`);
      return store.delete(`${ref.kind}/${ref.name}`);
    },
    async patch() {
      throw new Error('not expected');
    },
    async discovery() {
      return {groupVersions: () => ['v1', 'apps/v1'], hasKind: () => true};
    },
  };
  return {cluster: cluster as unknown as Cluster, calls, batches, store};
}

const service: KubeObject = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web'}};
const deployment: KubeObject = {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}};
const configMap: KubeObject = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'web-env'}, data: {A: '1'}};
const request = (objects: KubeObject[]) => ({app: 'web', namespace: 'shop-dev', objects, inputs: {stack: 'nodejs'}, tooling: 'gshift/v0'});

describe('applying an app as an ApplySet', () => {
  it('writes a new app without a rehearsal, its workloads last; rehearses an existing one on the server before the first write', async () => {
    const {cluster, calls} = fakeCluster();
    const result = await applyApp(cluster, request([deployment, service]));
    expect(calls).toEqual(['apply ConfigMap/gshift-app-web', 'apply Service/web', 'apply Deployment/web']);
    expect(result.changed).toBe(true);
    // Reported in the render's order.
    expect(result.outcomes.map((outcome) => `${outcome.ref.kind} ${outcome.action}`)).toEqual(['Deployment created', 'Service created']);
    calls.length = 0;
    await applyApp(cluster, request([service, {...deployment, spec: {replicas: 2}}]));
    expect(calls).toEqual([
      'dry-run ConfigMap/gshift-app-web',
      'dry-run Service/web',
      'dry-run Deployment/web',
      'apply ConfigMap/gshift-app-web',
      'apply Service/web',
      'apply Deployment/web',
    ]);
  });

  it('deletes what a refused new app had created, so the namespace is as it was', async () => {
    const {cluster, calls, store} = fakeCluster([], {rejectKind: 'Deployment'});
    const tracker = {applied: [] as ObjectRef[]};
    await expect(applyApp(cluster, request([service, deployment]), tracker)).rejects.toThrow(/may not patch deployments/);
    expect(calls.filter((call) => call.startsWith('delete'))).toEqual(['delete Service/web', 'delete ConfigMap/gshift-app-web']);
    expect([...store.keys()]).toEqual([]);
    // Nothing is left to report as applied.
    expect(tracker.applied).toEqual([]);
  });

  it('sends the parent with the first members when it already lists every kind, alone before them when a kind is new to the set', async () => {
    const {cluster, batches} = fakeCluster();
    await applyApp(cluster, request([service, deployment]));
    // A new set: nothing to prune could be missed, so the parent needs no round trip of its own.
    expect(batches.filter((batch) => batch[0]!.startsWith('apply'))).toEqual([['apply ConfigMap/gshift-app-web', 'apply Service/web', 'apply Deployment/web']]);
    batches.length = 0;
    await applyApp(cluster, request([configMap, service, deployment]));
    // ConfigMap joins the set: the parent says so before the first ConfigMap member exists.
    expect(batches.filter((batch) => batch[0]!.startsWith('apply'))).toEqual([['apply ConfigMap/gshift-app-web'], ['apply ConfigMap/web-env', 'apply Service/web', 'apply Deployment/web']]);
  });

  it('writes nothing to an existing app when the rehearsal is refused', async () => {
    const {cluster, calls} = fakeCluster([], {rejectDryRun: true});
    await applyApp(cluster, request([service, deployment]));
    calls.length = 0;
    await expect(applyApp(cluster, request([service, {...deployment, spec: {replicas: 2}}]))).rejects.toThrow(/may not patch/);
    expect(calls).toEqual([]);
  });

  it('prunes members the render no longer has, lists only the new group-kinds afterwards, and says nothing changed on a re-run', async () => {
    const {cluster, calls, store} = fakeCluster();
    await applyApp(cluster, request([configMap, service, deployment]));
    calls.length = 0;
    const result = await applyApp(cluster, request([service, deployment]));
    expect(calls).toContain('delete ConfigMap/web-env');
    expect(result.pruned.map((ref) => ref.name)).toEqual(['web-env']);
    const parent = store.get('ConfigMap/gshift-app-web')!;
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe('Deployment.apps,Service');
    expect(store.get('Service/web')!.metadata.labels?.['applyset.kubernetes.io/part-of']).toBe(appApplysetId('web', 'shop-dev'));

    const again = await applyApp(cluster, request([service, deployment]));
    expect(again.changed).toBe(false);
    expect(again.pruned).toEqual([]);
  });

  it('reports what a server dry run would do without writing', async () => {
    const {cluster, calls} = fakeCluster();
    const result = await applyApp(cluster, {...request([service]), dryRun: true});
    expect(calls.every((call) => call.startsWith('dry-run'))).toBe(true);
    expect(result.outcomes.map((outcome) => `${outcome.ref.kind}/${outcome.action}`)).toEqual(['Service/created']);
  });
});
