import {describe, expect, it} from '@jest/globals';

import {appSet} from '../../../src/app/applyset.js';
import {applysetParent} from '../../../src/converge/applyset.js';
import {listApps} from '../../../src/app/list.js';
import {appStatus} from '../../../src/app/status.js';
import {appStatusView} from '../../../src/ui/app-views.js';
import type {Cluster, KubeObject, ObjectRef} from '../../../src/cluster/index.js';
import {GshiftError} from '../../../src/errors.js';

const NAMESPACE = 'shop-dev';
const NOW = Date.parse('2026-01-01T12:00:00Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const labels = {'app.kubernetes.io/instance': 'web', 'gshift.io/app': 'web'};

const parent = applysetParent(appSet({app: 'web', namespace: NAMESPACE, tooling: 'gshift/v0', inputs: JSON.stringify({stack: 'nodejs'})}), ['Deployment.apps', 'Service']);
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'web', namespace: NAMESPACE, generation: 2, labels, annotations: {'deployment.kubernetes.io/revision': '2'}},
  spec: {replicas: 2, selector: {matchLabels: {'app.kubernetes.io/instance': 'web'}}, template: {metadata: {labels}, spec: {containers: [{name: 'nodejs', image: 'quay.io/shop/web:2'}]}}},
  status: {
    observedGeneration: 2,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [{type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.'}],
  },
};
const pod = (name: string, status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name, namespace: NAMESPACE, labels, creationTimestamp: at(300)},
  spec: {containers: [{name: 'nodejs'}], nodeName: 'node-a'},
  status,
});
const pods = [
  pod('web-abc-1', {phase: 'Running', containerStatuses: [{name: 'nodejs', ready: true, restartCount: 0, state: {running: {}}}]}),
  pod('web-abc-2', {
    phase: 'Running',
    containerStatuses: [{name: 'nodejs', ready: false, restartCount: 3, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {reason: 'OOMKilled', exitCode: 137}}}],
  }),
];
const events: KubeObject[] = [
  {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e1'}, involvedObject: {kind: 'Pod', name: 'web-abc-2'}, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', lastTimestamp: at(10), count: 4} as KubeObject,
  {apiVersion: 'v1', kind: 'Event', metadata: {name: 'e2'}, involvedObject: {kind: 'Pod', name: 'other-xyz'}, type: 'Warning', reason: 'BackOff', message: 'not about web', lastTimestamp: at(5)} as KubeObject,
];
const podMetrics: KubeObject[] = [
  {apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: {name: 'web-abc-1'}, containers: [{usage: {cpu: '12500000n', memory: '65536Ki'}}, {usage: {cpu: '2m', memory: '32Mi'}}]} as KubeObject,
  {apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: {name: 'web-abc-2'}, containers: [{usage: {cpu: '250u', memory: '1Gi'}}]} as KubeObject,
];

/** A cluster holding one app, serving the metrics API (or not, or failing). */
function fakeCluster(options: {metrics: 'served' | 'absent' | 'failing'; objects?: KubeObject[]; namespaceExists?: boolean}): Cluster {
  const objects = options.objects ?? [parent, deployment];
  const served = new Set(['v1', 'apps/v1', 'autoscaling/v2', 'networking.k8s.io/v1', ...(options.metrics === 'absent' ? [] : ['metrics.k8s.io/v1beta1'])]);
  return {
    discovery: async () => ({has: (groupVersion: string) => served.has(groupVersion)}),
    get: async (ref: ObjectRef) => {
      if (ref.kind === 'Namespace') return options.namespaceExists === false ? undefined : {apiVersion: 'v1', kind: 'Namespace', metadata: {name: ref.name}};
      return objects.find((object) => object.kind === ref.kind && object.metadata.name === ref.name);
    },
    list: async (apiVersion: string, kind: string) => {
      if (kind === 'PodMetrics') {
        if (options.metrics === 'failing') throw new GshiftError('SERVER', 'the metrics API did not answer (503)');
        return {items: podMetrics, resourceVersion: '1'};
      }
      if (kind === 'Pod') return {items: pods, resourceVersion: '1'};
      if (kind === 'Event') return {items: events, resourceVersion: '1'};
      return {items: objects.filter((object) => object.kind === kind && object.apiVersion === apiVersion), resourceVersion: '1'};
    },
  } as unknown as Cluster;
}

describe('app status', () => {
  it("shows each pod's CPU and memory when the metrics API is served, summed over its containers", async () => {
    const status = await appStatus(fakeCluster({metrics: 'served'}), NAMESPACE, 'web');
    expect(status.metricsAvailable).toBe(true);
    expect(status.pods.map((entry) => [entry.name, entry.cpu, entry.memory])).toEqual([
      ['web-abc-1', '15m', '96Mi'],
      ['web-abc-2', '0m', '1024Mi'],
    ]);
    const view = appStatusView(status, {now: NOW});
    expect(view).toMatch(/NAME\s+STATUS\s+READY\s+RESTARTS\s+AGE\s+CPU\s+CPU\/REQ\s+MEMORY\s+MEM\/REQ/);
    // No requests on these containers: nothing to compare with.
    expect(view).toMatch(/web-abc-1\s+Running\s+1\/1\s+0\s+5m\s+15m\s+-\s+96Mi\s+-/);
    expect(view).toMatch(/Usage:\s+CPU 15m, memory 1120Mi/);
  });

  it('leaves CPU and memory out when the metrics API is not served, or registered but not answering', async () => {
    for (const metrics of ['absent', 'failing'] as const) {
      const status = await appStatus(fakeCluster({metrics}), NAMESPACE, 'web');
      expect(status.metricsAvailable).toBe(false);
      expect(status.pods[0]).not.toHaveProperty('cpu');
      expect(appStatusView(status, {now: NOW})).not.toMatch(/CPU|MEMORY/);
      expect(appStatusView(status, {now: NOW})).toMatch(metrics === 'absent' ? /Usage:\s+metrics API not available/ : /Usage:\s+metrics API not answering/);
    }
  });

  it('names the conditions, the restarts with the reason the last instance ended, and only the events about the app', async () => {
    const status = await appStatus(fakeCluster({metrics: 'absent'}), NAMESPACE, 'web');
    expect(status).toMatchObject({app: 'web', stack: 'nodejs', image: 'quay.io/shop/web:2', revision: 2, desired: 2, ready: 1, healthy: false});
    expect(status.problem).toBe('1 of 2 replicas available; web-abc-2 is CrashLoopBackOff');
    const view = appStatusView(status, {now: NOW});
    expect(view).toMatch(/Available\s+False\s+MinimumReplicasUnavailable/);
    expect(view).toMatch(/web-abc-2\s+CrashLoopBackOff\s+0\/1\s+3 \(last: OOMKilled\)/);
    expect(status.events).toEqual([expect.objectContaining({reason: 'BackOff', object: 'Pod/web-abc-2', count: 4})]);
  });
});

describe('app list', () => {
  it('says the namespace does not exist instead of listing no apps there', async () => {
    const missing = listApps(fakeCluster({metrics: 'absent', objects: [], namespaceExists: false}), 'shop-dve');
    await expect(missing).rejects.toMatchObject({code: 'NOT_FOUND', message: 'The namespace "shop-dve" does not exist.'});
    expect(await listApps(fakeCluster({metrics: 'absent', objects: []}), NAMESPACE)).toEqual([]);
  });

  it('finds apps by their ApplySet parents', async () => {
    const apps = await listApps(fakeCluster({metrics: 'absent'}), NAMESPACE);
    expect(apps).toEqual([expect.objectContaining({name: 'web', stack: 'nodejs', image: 'quay.io/shop/web:2', ready: 1, desired: 2})]);
  });
});
