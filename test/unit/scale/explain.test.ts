import {describe, expect, it} from '@jest/globals';

import {autoscalerView, explainScaling, type ExplainInput} from '../../../src/scale/explain.js';

// HorizontalPodAutoscaler statuses as kube-controller-manager v1.36 writes them.
const hpa = (status: object, spec: object = {}) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {name: 'web'},
  spec: {scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web'}, minReplicas: 1, maxReplicas: 4, metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 50}}}], ...spec},
  status,
});
const condition = (type: string, status: string, reason: string, message: string) => ({type, status, reason, message, lastTransitionTime: '2026-12-04T17:00:00Z'});
const able = condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
const active = condition('ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
const withinRange = condition('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
const cpuAt = (utilization: number, value: string) => [{type: 'Resource', resource: {name: 'cpu', current: {averageUtilization: utilization, averageValue: value}}}];
const requested = [{name: 'web', resources: {requests: {cpu: '100m', memory: '128Mi'}}}];

const input = (overrides: Partial<ExplainInput>): ExplainInput => ({app: 'web', replicas: {desired: 1, ready: 1}, containers: requested, metricsApi: 'available', ...overrides});

describe('why an app is or is not scaling', () => {
  it('says a manual app runs a fixed count and how to autoscale it', () => {
    expect(explainScaling(input({replicas: {desired: 3, ready: 2}}))).toEqual({
      state: 'manual',
      summary: 'web runs a fixed 3 replicas (2 ready); no autoscaler changes that.',
      reasons: ['gshift scale web --min N --max M --cpu 70 adds one.'],
    });
  });

  it('says it is scaling up, with the load against the target', () => {
    const explanation = explainScaling(input({autoscaler: hpa({currentReplicas: 1, desiredReplicas: 2, currentMetrics: cpuAt(91, '91m'), conditions: [condition('AbleToScale', 'True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 2'), active, withinRange]})}));
    expect(explanation).toEqual({state: 'scaling-up', summary: 'web is scaling up from 1 to 2 replicas (CPU 91% of request, target 50%).', reasons: []});
  });

  it('says it is steady when the load matches the target', () => {
    expect(explainScaling(input({autoscaler: hpa({currentReplicas: 2, desiredReplicas: 2, currentMetrics: cpuAt(42, '42m'), conditions: [able, active, withinRange]})})).state).toBe('steady');
  });

  it('names a container without a CPU request: utilisation cannot be computed (the <unknown> target)', () => {
    const status = {
      currentReplicas: 1,
      desiredReplicas: 0,
      currentMetrics: null,
      conditions: [
        condition('AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale'),
        condition('ScalingActive', 'False', 'FailedGetResourceMetric', 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container web of Pod web-7d9c6b5f4-x2x4k'),
      ],
    };
    const explanation = explainScaling(input({autoscaler: hpa(status), containers: [{name: 'web', resources: {}}]}));
    expect(explanation.state).toBe('not-scaling');
    expect(explanation.summary).toBe('web is not autoscaling: it stays at 1 replica (bounds 1–4).');
    // Said once, whether the containers or the condition tell it first.
    expect(explanation.reasons).toEqual(['no CPU request on container web, so CPU utilisation cannot be computed']);
    expect(autoscalerView(hpa(status)).targets).toEqual([{resource: 'cpu', target: 50}]);
  });

  it('says when the metrics API is not there, and when it is there but not answering', () => {
    const failing = condition('ScalingActive', 'False', 'FailedGetResourceMetric', 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)');
    const absent = explainScaling(input({metricsApi: 'absent', autoscaler: hpa({currentReplicas: 1, desiredReplicas: 0, conditions: [able, failing]})}));
    expect(absent.state).toBe('not-scaling');
    expect(absent.reasons).toEqual(['the metrics API (metrics.k8s.io) is not available on this cluster, so there are no CPU and memory figures to scale on (metrics-server is not installed)']);
    const down = explainScaling(input({metricsApi: 'available', autoscaler: hpa({currentReplicas: 1, desiredReplicas: 0, conditions: [able, failing]})}));
    expect(down.reasons).toEqual([expect.stringMatching(/^the metrics API \(metrics.k8s.io\) is registered but not answering/)]);
  });

  it('says it is at its maximum when the load asks for more (ScalingLimited)', () => {
    const limited = condition('ScalingLimited', 'True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count');
    const explanation = explainScaling(input({autoscaler: hpa({currentReplicas: 4, desiredReplicas: 4, currentMetrics: cpuAt(180, '180m'), conditions: [able, active, limited]})}));
    expect(explanation).toEqual({
      state: 'at-max',
      summary: 'web runs 4 replicas, its maximum (CPU 180% of request, target 50%).',
      reasons: ['it is at its maximum of 4: the load asks for more (raise it with gshift scale web --max N)'],
    });
  });

  it('explains a held scale-down as the stabilisation window', () => {
    const stabilized = condition('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    const explanation = explainScaling(input({autoscaler: hpa({currentReplicas: 3, desiredReplicas: 3, currentMetrics: cpuAt(10, '10m'), conditions: [stabilized, active, withinRange]})}));
    expect(explanation.state).toBe('steady');
    expect(explanation.reasons).toEqual([expect.stringMatching(/^scale-down waits until the load has been lower for the whole stabilisation window/)]);
  });

  it('says when the autoscaler has not looked yet, and when the quota refuses the pods it asks for', () => {
    expect(explainScaling(input({autoscaler: hpa({})})).state).toBe('waiting');
    const refusal = 'Error creating: pods "web-7d9c6b5f4-abcde" is forbidden: exceeded quota: shop-dev-quota, requested: requests.cpu=100m, used: requests.cpu=2, limited: requests.cpu=2';
    const explanation = explainScaling(input({replicas: {desired: 3, ready: 2}, quotaRefusal: refusal, autoscaler: hpa({currentReplicas: 3, desiredReplicas: 3, currentMetrics: cpuAt(95, '95m'), conditions: [able, active, withinRange]})}));
    expect(explanation.reasons).toEqual(["the namespace's quota refuses new pods: exceeded quota shop-dev-quota, requested: requests.cpu=100m, used: requests.cpu=2, limited: requests.cpu=2"]);
  });
});
