// Following rollouts on the real test cluster: success, each simulated failure diagnosed well
// before the follow gives up, admission rejections (Pod Security, quota)
// named as the cause, and a timeout that says what it was still waiting for.
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {connect, type Cluster, type KubeObject} from '../../src/cluster/index.ts';
import {GshiftError} from '../../src/errors.ts';
import {followRollout, type RolloutFailureDetails} from '../../src/rollout/follow.ts';
import {SIMULATED_IMAGES, TEST_KUBECONFIG, appendLogLines, cuttableConnection, newNamespace, waitUntil, type TestNamespace} from './support/index.ts';

// Fails fast means: the diagnosis well before the follow's own timeout gives up (figures: npm run bench).
const FOLLOW_TIMEOUT_MS = 60_000;
const WELL_BEFORE_TIMEOUT_MS = FOLLOW_TIMEOUT_MS / 2;
// Jest takes testTimeout from the root config only, not from a project's.
const TEST_TIMEOUT_MS = 90_000;

let cluster: Cluster;

beforeAll(async () => {
  cluster = await connect({kubeconfig: TEST_KUBECONFIG, env: {}});
});

afterAll(async () => {
  await cluster?.close();
});

interface DeploymentShape {
  image?: string;
  replicas?: number;
  securityContext?: Record<string, unknown>;
  resources?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

function deployment(name: string, shape: DeploymentShape = {}): KubeObject {
  const labels = {'app.kubernetes.io/instance': name, 'gshift.io/app': name};
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, labels},
    spec: {
      replicas: shape.replicas ?? 1,
      selector: {matchLabels: {'app.kubernetes.io/instance': name}},
      template: {
        metadata: {labels, annotations: shape.annotations},
        spec: {
          containers: [
            {
              name: 'app',
              image: shape.image ?? 'registry.example.org/acme/web:1.0.0',
              securityContext: shape.securityContext,
              resources: shape.resources,
              readinessProbe: shape.readinessProbe,
            },
          ],
        },
      },
    },
  };
}

/** Applies the Deployment and follows its rollout; returns how long that took and how it ended. */
async function rollOut(ns: TestNamespace, object: KubeObject, options: {timeoutMs?: number; readyGraceMs?: number} = {}) {
  const started = Date.now();
  await cluster.apply([object], {namespace: ns.name});
  try {
    const result = await followRollout(cluster, {namespace: ns.name, name: object.metadata.name!, timeoutMs: options.timeoutMs ?? FOLLOW_TIMEOUT_MS, readyGraceMs: options.readyGraceMs});
    return {elapsedMs: Date.now() - started, result, error: undefined};
  } catch (error) {
    if (!(error instanceof GshiftError)) throw error;
    return {elapsedMs: Date.now() - started, result: undefined, error};
  }
}

const details = (error: GshiftError | undefined) => error?.details as unknown as RolloutFailureDetails;

describe('following a rollout on the cluster', () => {
  test('completes when every replica is available, and again at once when nothing changed', async () => {
    const ns = await newNamespace('rollout-ok');
    const first = await rollOut(ns, deployment('web', {replicas: 3}));
    expect(first.error).toBeUndefined();
    expect(first.result?.progress).toMatchObject({desired: 3, updated: 3, available: 3});
    // Nothing to wait for: complete from the first list, so even a short timeout is never reached.
    const again = await rollOut(ns, deployment('web', {replicas: 3}), {timeoutMs: 5_000});
    expect(again.error).toBeUndefined();
    expect(again.result?.progress.available).toBe(3);
  }, TEST_TIMEOUT_MS);

  test('follows a restart to completion: new pods up, old ones gone', async () => {
    const ns = await newNamespace('rollout-restart');
    await rollOut(ns, deployment('web', {replicas: 2}));
    const restarted = await rollOut(ns, deployment('web', {replicas: 2, annotations: {'kubectl.kubernetes.io/restartedAt': new Date().toISOString()}}));
    expect(restarted.error).toBeUndefined();
    expect(restarted.result?.progress.pods.filter((pod) => pod.current && pod.ready === '1/1')).toHaveLength(2);
  }, TEST_TIMEOUT_MS);

  test('rolls out the fix for a crash-looping release without blaming it for the old pods', async () => {
    const ns = await newNamespace('rollout-fix');
    const broken = await rollOut(ns, deployment('web', {replicas: 2, image: SIMULATED_IMAGES.crashLoop}));
    expect(broken.error?.code).toBe('ROLLOUT_FAILED');
    const fixed = await rollOut(ns, deployment('web', {replicas: 2, image: 'registry.example.org/acme/web:1.0.1'}));
    expect(fixed.error).toBeUndefined();
    expect(fixed.result?.progress).toMatchObject({updated: 2, available: 2});
  }, TEST_TIMEOUT_MS);

  test('diagnoses an image that cannot be pulled well before the timeout', async () => {
    const ns = await newNamespace('rollout-pull');
    const {error, elapsedMs} = await rollOut(ns, deployment('web', {image: SIMULATED_IMAGES.imagePullFailure}));
    expect(error?.code).toBe('ROLLOUT_FAILED');
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(details(error).reason);
    expect(error?.message).toMatch(/^Pod web-[a-z0-9]+-[a-z0-9]+: the image "gshift\.test\/simulate:image-pull-failure" cannot be pulled \((ErrImagePull|ImagePullBackOff)\)\.$/);
    expect(error?.hint).toMatch(/image name and tag/);
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS);

  test('diagnoses a crash loop well before the timeout, with the crashed container\'s last log lines', async () => {
    const ns = await newNamespace('rollout-crash');
    appendLogLines(ns.logFile, ['listening on :8080', 'FATAL: DATABASE_URL is not set']);
    const {error, elapsedMs} = await rollOut(ns, deployment('web', {image: SIMULATED_IMAGES.crashLoop}));
    expect(error?.code).toBe('ROLLOUT_FAILED');
    // kwok keeps no log of a previous instance: the driver then reads the current one, as it
    // would on a runtime that keeps none.
    expect(details(error)).toMatchObject({reason: 'CrashLoopBackOff', container: 'app', logSource: 'current'});
    expect(error?.message).toMatch(/^Pod web-\S+: container "app" keeps crashing \(CrashLoopBackOff, exit code 1/);
    const facts = details(error);
    expect(facts.logs ?? [facts.logsUnavailable]).toEqual(expect.arrayContaining([expect.stringContaining('DATABASE_URL is not set')]));
    expect(facts.events.map((event) => event.reason)).toContain('BackOff');
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS);

  test('diagnoses pods that run but never become ready well before the timeout', async () => {
    const ns = await newNamespace('rollout-unready');
    const probe = {httpGet: {path: '/ready', port: 8080}, periodSeconds: 5};
    const {error, elapsedMs} = await rollOut(ns, deployment('web', {image: SIMULATED_IMAGES.neverReady, readinessProbe: probe}));
    expect(error?.code).toBe('ROLLOUT_FAILED');
    expect(details(error).reason).toBe('NeverReady');
    expect(error?.message).toMatch(/^Pod web-\S+: container "app" is running but never became ready \(readiness probe failing: HTTP probe failed with statuscode: 503\)\.$/);
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS);

  test('reports a Pod Security rejection as the cause', async () => {
    const ns = await newNamespace('rollout-psa', {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}});
    const {error, elapsedMs} = await rollOut(ns, deployment('web', {securityContext: {privileged: true}}));
    expect(error?.code).toBe('ROLLOUT_FAILED');
    expect(details(error).reason).toBe('PodSecurity');
    expect(error?.message).toMatch(/^Pods are rejected by Pod Security "restricted:latest": .*privileged \(container "app" must not set securityContext\.privileged=true\)/);
    expect(details(error).events).toEqual(expect.arrayContaining([expect.objectContaining({reason: 'FailedCreate'})]));
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS);

  test('names the ResourceQuota that forbids the pods', async () => {
    const ns = await newNamespace('rollout-quota');
    await cluster.apply([{apiVersion: 'v1', kind: 'ResourceQuota', metadata: {name: 'compute'}, spec: {hard: {'requests.cpu': '100m'}}}], {namespace: ns.name});
    const {error, elapsedMs} = await rollOut(ns, deployment('web', {resources: {requests: {cpu: '500m'}}}));
    expect(error?.code).toBe('ROLLOUT_FAILED');
    expect(details(error).reason).toBe('QuotaExceeded');
    expect(error?.message).toMatch(/^The ReplicaSet cannot create pods: the namespace's ResourceQuota "compute" is exceeded \(requested: requests\.cpu=500m/);
    expect(elapsedMs).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
  }, TEST_TIMEOUT_MS);

  test('times out saying what it was still waiting for', async () => {
    const ns = await newNamespace('rollout-timeout');
    const {error} = await rollOut(ns, deployment('web', {image: SIMULATED_IMAGES.neverReady}), {timeoutMs: 6_000, readyGraceMs: 600_000});
    expect(error?.code).toBe('TIMED_OUT');
    expect(error?.message).toMatch(/^Timed out after 6s waiting for updated replicas to become available \(0 of 1 are\): pod web-\S+ has container "app" running but not ready/);
  }, TEST_TIMEOUT_MS);

  test('reconnects when the connection to the API server drops, and carries on to completion', async () => {
    const ns = await newNamespace('rollout-reconnect');
    const relay = await cuttableConnection(TEST_KUBECONFIG);
    const viaRelay = await connect({kubeconfig: relay.kubeconfig, env: {}});
    try {
      // Stuck until the test fixes the image, which it does while gshift is cut off.
      await viaRelay.apply([deployment('web', {image: SIMULATED_IMAGES.neverReady})], {namespace: ns.name});
      const notes: string[] = [];
      let seenPods = 0;
      const following = followRollout(viaRelay, {
        namespace: ns.name,
        name: 'web',
        timeoutMs: 60_000,
        readyGraceMs: 600_000,
        onNote: (text) => notes.push(text),
        onUpdate: (progress) => (seenPods = progress.pods.length),
      });
      const outcome = following.then(
        (result) => ({result, error: undefined}),
        (error: unknown) => ({result: undefined, error}),
      );
      await waitUntil(() => seenPods > 0, {description: 'the rollout to show its pod'});
      await relay.drop();
      await cluster.apply([deployment('web', {image: 'registry.example.org/acme/web:1.0.1'})], {namespace: ns.name});
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await relay.restore();
      const {result, error} = await outcome;
      expect(error).toBeUndefined();
      expect(result?.progress).toMatchObject({updated: 1, available: 1});
      expect(notes.some((note) => note.startsWith('Lost the connection to the API server'))).toBe(true);
    } finally {
      await viaRelay.close();
      await relay.close();
    }
  }, TEST_TIMEOUT_MS);
});
