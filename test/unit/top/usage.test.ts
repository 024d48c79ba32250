import {describe, expect, it} from '@jest/globals';

import {appUsage, formatCpu, formatMemory, podUsage, sortUsage} from '../../../src/top/usage.js';
import {topView} from '../../../src/ui/top-views.js';

const pod = (name: string, app: string, containers: object[]) => ({apiVersion: 'v1', kind: 'Pod', metadata: {name, labels: {'gshift.io/app': app}}, spec: {nodeName: 'node-a', containers}});
const metrics = (name: string, usage: {cpu: string; memory: string}[]) => ({apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: {name}, containers: usage.map((entry, index) => ({name: `c${index}`, usage: entry}))});
const web = {name: 'web', resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '500m', memory: '256Mi'}}};

const pods = [pod('web-1', 'web', [web]), pod('web-2', 'web', [web]), pod('api-1', 'api', [{name: 'api', resources: {requests: {memory: '64Mi'}}}]), pod('gone-1', 'web', [web])];
const podMetrics = [metrics('web-1', [{cpu: '91234567n', memory: '48Mi'}]), metrics('web-2', [{cpu: '9m', memory: '32Mi'}]), metrics('api-1', [{cpu: '250m', memory: '16Mi'}])];

describe('CPU and memory in use', () => {
  it('per pod, against its requests and limits (none to compare with when a container sets none)', () => {
    const usage = podUsage(pods, podMetrics);
    expect(usage.find((entry) => entry.pod === 'web-1')).toEqual({
      pod: 'web-1',
      app: 'web',
      node: 'node-a',
      cpu: {used: 91, request: 100, ofRequest: 91, limit: 500, ofLimit: 18},
      memory: {used: 48 * 2 ** 20, request: 128 * 2 ** 20, ofRequest: 38, limit: 256 * 2 ** 20, ofLimit: 19},
    });
    expect(usage.find((entry) => entry.pod === 'api-1')!.cpu).toEqual({used: 250});
    // A pod the metrics API does not report yet is left out.
    expect(usage.map((entry) => entry.pod)).not.toContain('gone-1');
  });

  it('per app, the pods added up, busiest first', () => {
    const apps = sortUsage(appUsage(podUsage(pods, podMetrics)), 'cpu');
    expect(apps.map((app) => [app.app, app.pods, app.cpu.used, app.cpu.ofRequest])).toEqual([
      ['api', 1, 250, undefined],
      ['web', 2, 100, 50],
    ]);
    expect(sortUsage(podUsage(pods, podMetrics), 'memory').map((entry) => entry.pod)).toEqual(['web-1', 'web-2', 'api-1']);
    expect(sortUsage(podUsage(pods, podMetrics), 'name').map((entry) => entry.pod)).toEqual(['api-1', 'web-1', 'web-2']);
  });

  it('is printed as kubectl top prints it', () => {
    expect([formatCpu(91), formatCpu(12_500), formatMemory(48 * 2 ** 20), formatMemory(12 * 2 ** 30)]).toEqual(['91m', '12.50', '48Mi', '12.0Gi']);
    const perPod = sortUsage(podUsage(pods, podMetrics), 'cpu');
    const view = topView({namespace: 'shop-dev', metricsApi: 'available', pods: perPod, apps: appUsage(perPod)});
    expect(view).toMatch(/POD\s+APP\s+CPU\s+CPU\/REQ\s+CPU\/LIM\s+MEMORY\s+MEM\/REQ\s+MEM\/LIM/);
    expect(view).toMatch(/web-1\s+web\s+91m\s+91%\s+18%\s+48Mi\s+38%\s+19%/);
    expect(view).toMatch(/APP\s+PODS/);
  });

  it('is one line, not an error, where the metrics API is absent', () => {
    expect(topView({namespace: 'shop-dev', metricsApi: 'absent', message: 'The metrics API (metrics.k8s.io) is not available on this cluster.', pods: [], apps: []})).toBe('The metrics API (metrics.k8s.io) is not available on this cluster.');
  });
});
