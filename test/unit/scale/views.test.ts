import {describe, expect, it} from '@jest/globals';

import type {ScaleResult} from '../../../src/scale/change.js';
import type {ScaleStatus} from '../../../src/scale/status.js';
import {scaleDoneLine, scaleStatusView} from '../../../src/ui/scale-views.js';

const NOW = Date.parse('2026-12-04T17:00:00Z');
const result = (change: ScaleResult['change'], before: ScaleResult['before'], after: ScaleResult['after']) => ({app: 'web', change, before, after}) as ScaleResult;

describe('what gshift scale prints', () => {
  it('says what changed, and what it already was when nothing did', () => {
    expect(scaleDoneLine(result('replicas', {replicas: 1}, {replicas: 3}))).toEqual({done: 'Scaled web from 1 to 3 replicas.', unchanged: 'No changes: web already runs 3 replicas.'});
    expect(scaleDoneLine(result('autoscale', {replicas: 2}, {autoscale: {min: 2, max: 10, cpu: 70}})).done).toBe('web is autoscaled: 2–10 replicas on CPU 70% of requests (was a fixed 2 replicas).');
    expect(scaleDoneLine(result('manual', {replicas: 4, autoscale: {min: 2, max: 4, cpu: 75}}, {replicas: 4})).done).toBe('web runs a fixed 4 replicas; its autoscaler (2–4 replicas on CPU 75% of requests) is removed.');
    expect(scaleDoneLine(result('manual', {replicas: 1}, {replicas: 1})).unchanged).toBe('No changes: web already runs a fixed 1 replica.');
  });

  it('shows the count, the autoscaler, the explanation, the conditions and the scaling events', () => {
    const status: ScaleStatus = {
      app: 'web',
      namespace: 'shop-prod',
      replicas: {desired: 2, ready: 2, available: 2},
      mode: 'autoscaled',
      autoscaler: {name: 'web', min: 1, max: 3, current: 1, desired: 2, targets: [{resource: 'cpu', target: 50, current: 90}], conditions: [{type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'}], lastScaleTime: '2026-12-04T16:59:30Z'},
      metricsApi: 'available',
      explanation: {state: 'scaling-up', summary: 'web is scaling up from 1 to 2 replicas (CPU 90% of request, target 50%).', reasons: []},
      events: [{time: '2026-12-04T16:59:30Z', type: 'Normal', reason: 'SuccessfulRescale', object: 'HorizontalPodAutoscaler/web', message: 'New size: 2; reason: cpu resource utilization (percentage of request) above target', count: 1}],
    };
    const view = scaleStatusView(status, {now: NOW});
    expect(view).toMatch(/^Replicas:\s+2 desired, 2 ready, 2 available$/m);
    expect(view).toMatch(/^Scaling:\s+autoscaled by HorizontalPodAutoscaler web: 1–3 replicas$/m);
    expect(view).toMatch(/^Targets:\s+CPU 90% of request, target 50%$/m);
    expect(view).toMatch(/^Autoscaler:\s+1 current, wants 2; last scaled 30s ago$/m);
    expect(view).toMatch(/^web is scaling up from 1 to 2 replicas/m);
    expect(view).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    expect(view).toMatch(/30s\s+Normal\s+SuccessfulRescale\s+HorizontalPodAutoscaler\/web\s+New size: 2/);
  });
});
