// The local test control plane behaves as a real cluster does for what gshift relies on:
// server-side apply and rollouts, log streaming, failing containers, Pod Security
// admission, and the OpenShift Route API present in one flavour and absent in the other.
import {describe, expect, test} from '@jest/globals';
import {
  SIMULATED_IMAGES,
  appendLogLines,
  kubectl,
  kubectlJson,
  kubectlResult,
  kubectlStream,
  newNamespace,
  routePodLogs,
  simulateAnnotation,
  startFlavour,
  waitForLogs,
  waitUntil,
} from './support/index.ts';

type ContainerStatus = {
  name: string;
  ready: boolean;
  restartCount: number;
  state: {waiting?: {reason: string}; running?: object; terminated?: {exitCode: number; reason: string}};
  lastState?: {terminated?: {exitCode: number; reason: string}};
};
type Pod = {status: {phase: string; containerStatuses?: ContainerStatus[]; conditions?: Array<{type: string; status: string}>; podIP?: string; hostIP?: string}};

function pod(name: string, image: string, extra: {annotations?: Record<string, string>; securityContext?: object} = {}) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, annotations: extra.annotations},
    spec: {containers: [{name: 'app', image, securityContext: extra.securityContext}]},
  });
}

async function containerStatus(namespace: string, name: string): Promise<ContainerStatus | undefined> {
  const current = await kubectlJson<Pod>(['get', 'pod', name], {namespace});
  return current.status.containerStatuses?.[0];
}

describe('the test cluster', () => {
  test('runs the pinned Kubernetes release', async () => {
    const version = await kubectlJson<{serverVersion: {gitVersion: string}}>(['version']);
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.(3[4-9]|[4-9]\d)\.\d+$/);
  }, 30_000);

  test('rolls out a Deployment applied with server-side apply to Available', async () => {
    const ns = await newNamespace('rollout');
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web'},
      spec: {
        replicas: 3,
        selector: {matchLabels: {app: 'web'}},
        template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'registry.example/web:1'}]}},
      },
    };
    const applied = await ns.kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {input: JSON.stringify(deployment)});
    expect(applied).toContain('serverside-applied');

    await ns.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s'], {timeoutMs: 70_000});
    const status = await kubectlJson<{status: {availableReplicas: number; conditions: Array<{type: string; status: string}>}}>(
      ['get', 'deployment', 'web'],
      {namespace: ns.name},
    );
    expect(status.status.availableReplicas).toBe(3);
    expect(status.status.conditions).toContainEqual(expect.objectContaining({type: 'Available', status: 'True'}));

    const managed = await ns.kubectl(['get', 'deployment', 'web', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    expect(managed.split(' ')).toContain('gshift-e2e');

    // Pods get loopback addresses only: nothing in the cluster points outside 127.0.0.0/8.
    const pods = await kubectlJson<{items: Pod[]}>(['get', 'pods', '-l', 'app=web'], {namespace: ns.name});
    expect(pods.items).toHaveLength(3);
    for (const item of pods.items) {
      expect(item.status.podIP).toMatch(/^127\./);
      expect(item.status.hostIP).toBe('127.0.0.1');
    }
  }, 90_000);

  test('streams a container log while the test appends lines', async () => {
    const ns = await newNamespace('logs');
    const files = await routePodLogs(ns.name, 'talker', ['app']);
    appendLogLines(files.app, ['first line, written before the stream']);
    await ns.kubectl(['apply', '-f', '-'], {input: pod('talker', 'registry.example/talker:1')});
    await ns.kubectl(['wait', '--for=condition=Ready', 'pod/talker', '--timeout=30s'], {timeoutMs: 40_000});
    await waitForLogs(ns.name, 'talker');

    const stream = kubectlStream(['logs', '-f', 'talker', '-c', 'app'], {namespace: ns.name});
    try {
      await stream.waitFor('first line, written before the stream');
      appendLogLines(files.app, ['second line, appended while following']);
      await stream.waitFor('second line, appended while following');
      appendLogLines(files.app, ['third line, on stderr'], 'stderr');
      await stream.waitFor('third line, on stderr');
      expect(stream.output().trim().split('\n')).toEqual([
        'first line, written before the stream',
        'second line, appended while following',
        'third line, on stderr',
      ]);
    } finally {
      await stream.stop();
    }
  }, 60_000);

  test('reports ErrImagePull, then ImagePullBackOff, for the simulated image-pull failure', async () => {
    const ns = await newNamespace('pull');
    await ns.kubectl(['apply', '-f', '-'], {input: pod('broken', SIMULATED_IMAGES.imagePullFailure)});
    const seen: string[] = [];
    await waitUntil(
      async () => {
        const reason = (await containerStatus(ns.name, 'broken'))?.state.waiting?.reason;
        if (reason && seen.at(-1) !== reason) seen.push(reason);
        return reason === 'ImagePullBackOff';
      },
      {timeoutMs: 30_000, intervalMs: 200, description: 'ImagePullBackOff'},
    );
    expect(seen).toEqual(['ErrImagePull', 'ImagePullBackOff']);
    const current = await kubectlJson<Pod>(['get', 'pod', 'broken'], {namespace: ns.name});
    expect(current.status.phase).toBe('Pending');
  }, 60_000);

  test('reports CrashLoopBackOff with a rising restart count for the simulated crash loop', async () => {
    const ns = await newNamespace('crash');
    await ns.kubectl(['apply', '-f', '-'], {input: pod('crasher', SIMULATED_IMAGES.crashLoop)});
    const status = await waitUntil(
      async () => {
        const current = await containerStatus(ns.name, 'crasher');
        return current?.state.waiting?.reason === 'CrashLoopBackOff' && current.restartCount >= 2 ? current : undefined;
      },
      {timeoutMs: 45_000, intervalMs: 500, description: 'CrashLoopBackOff with 2 restarts'},
    );
    expect(status.ready).toBe(false);
    expect(status.lastState?.terminated).toEqual(expect.objectContaining({exitCode: 1, reason: 'Error'}));
    const current = await kubectlJson<Pod>(['get', 'pod', 'crasher'], {namespace: ns.name});
    expect(current.status.phase).toBe('Running');
  }, 90_000);

  test('keeps a pod annotated never-ready running but not Ready', async () => {
    const ns = await newNamespace('unready');
    await ns.kubectl(['apply', '-f', '-'], {input: pod('idle', 'registry.example/idle:1', {annotations: simulateAnnotation('never-ready')})});
    const current = await waitUntil(
      async () => {
        const found = await kubectlJson<Pod>(['get', 'pod', 'idle'], {namespace: ns.name});
        return found.status.phase === 'Running' ? found : undefined;
      },
      {description: 'the pod to run'},
    );
    expect(current.status.conditions).toContainEqual(expect.objectContaining({type: 'Ready', status: 'False'}));
    expect(current.status.containerStatuses?.[0]).toEqual(expect.objectContaining({ready: false, state: {running: expect.anything()}}));
  }, 60_000);

  test('rejects a privileged pod in a namespace that enforces the restricted Pod Security level', async () => {
    const ns = await newNamespace('restricted', {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}});
    const result = await kubectlResult(['apply', '-f', '-'], {
      namespace: ns.name,
      input: pod('root', 'registry.example/root:1', {securityContext: {privileged: true}}),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('violates PodSecurity "restricted:latest"');
    expect(result.stderr).toContain('privileged');
    const pods = await ns.kubectl(['get', 'pods', '-o', 'name']);
    expect(pods.trim()).toBe('');
  }, 30_000);
});

describe('the Greenshift API surface', () => {
  const route = JSON.stringify({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: {name: 'web'},
    spec: {host: 'web.apps.example', to: {kind: 'Service', name: 'web'}, port: {targetPort: 8080}},
  });

  test('accepts a Route in the OpenShift flavour', async () => {
    const ns = await newNamespace('route');
    await ns.kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {input: route});
    expect(await ns.kubectl(['get', 'route', 'web', '-o', 'jsonpath={.spec.host}'])).toBe('web.apps.example');
    for (const crd of ['certificates.cert-manager.io', 'clusterissuers.cert-manager.io', 'clusters.postgresql.cnpg.io']) {
      await kubectl(['get', 'crd', crd]);
    }
  }, 30_000);

  test('does not know Routes in the plain Kubernetes flavour', async () => {
    startFlavour('kubernetes');
    const ns = await newNamespace('ingress', {flavour: 'kubernetes'});
    const resources = await kubectl(['api-resources', '--api-group=route.openshift.io', '-o', 'name'], {flavour: 'kubernetes'});
    expect(resources.trim()).toBe('');
    const result = await kubectlResult(['apply', '-f', '-'], {flavour: 'kubernetes', namespace: ns.name, input: route});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no matches for kind "Route" in version "route.openshift.io/v1"');
    // The rest of the API surface is there.
    await kubectl(['get', 'crd', 'certificates.cert-manager.io'], {flavour: 'kubernetes'});
  }, 300_000);
});
