// The cluster access layer against the real API server of the test cluster: server-side
// apply and its outcomes, the server's own 404/409/422 answers mapped to gshift errors,
// Pod Security warnings, a watch that outlives server-ended connections, pod logs, and
// `gshift status` against the cluster and against a dead port.
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {connect, type Cluster, type KubeObject} from '../../src/cluster/index.ts';
import {TEST_KUBECONFIG, appendLogLines, newNamespace, routePodLogs, waitUntil, type TestNamespace} from './support/index.ts';
import {rejection} from '../support/rejection.ts';

let cluster: Cluster;
let ns: TestNamespace;

beforeAll(async () => {
  ns = await newNamespace('cluster-access', {labels: {'pod-security.kubernetes.io/warn': 'restricted'}});
  cluster = await connect({kubeconfig: TEST_KUBECONFIG, namespace: ns.name});
});
afterAll(() => cluster?.close());

const configMap = (name: string, data: Record<string, string>): KubeObject => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data});

function deployment(name: string, replicas: number, image = 'registry.example/web:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name},
    spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'web', image}]}}},
  };
}

describe('server-side apply against the API server', () => {
  test('creates, then changes nothing on the second run, then configures a change', async () => {
    expect((await cluster.apply([configMap('settings', {mode: 'a'})]))[0]).toMatchObject({action: 'created', ref: {namespace: ns.name}});
    expect((await cluster.apply([configMap('settings', {mode: 'a'})]))[0]!.action).toBe('unchanged');
    expect((await cluster.apply([configMap('settings', {mode: 'b'})], {dryRun: true}))[0]!.action).toBe('configured');
    expect((await cluster.get<KubeObject & {data: Record<string, string>}>({apiVersion: 'v1', kind: 'ConfigMap', name: 'settings'}))!.data.mode).toBe('a');
    const [changed] = await cluster.apply([configMap('settings', {mode: 'b'})]);
    expect(changed!.action).toBe('configured');
    const managers = (changed!.object.metadata.managedFields as {manager: string; operation: string}[]).map((entry) => `${entry.manager}/${entry.operation}`);
    expect(managers).toContain('gshift/Apply');
  });

  test('surfaces Pod Security warnings from the Warning header', async () => {
    const [outcome] = await cluster.apply([deployment('warned', 1)]);
    expect(outcome!.warnings.join('\n')).toMatch(/would violate PodSecurity "restricted:latest"/);
  });

  test('reports a field another manager owns as a CONFLICT, and takes it over with force', async () => {
    await cluster.apply([deployment('contested', 1)]);
    await ns.kubectl(['scale', 'deployment', 'contested', '--replicas=3']);
    const conflict = await rejection(cluster.apply([deployment('contested', 2)]));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toMatch(/^Applying Deployment "contested" in namespace "[^"]+" would overwrite \.spec\.replicas, which "kubectl[^"]*" last set\.$/);
    expect(conflict.hint).toMatch(/--force-conflicts/);
    expect((await cluster.apply([deployment('contested', 2)], {force: true}))[0]!.action).toBe('configured');
  });

  test('maps a 422 with the field causes the server gives', async () => {
    const invalid = deployment('invalid', -1, '');
    const error = await rejection(cluster.apply([invalid]));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toMatch(/^The cluster rejected Deployment "invalid" in namespace "[^"]+": spec\.\S+: .+\(and \d+ more problems?\)\.$/);
    const fields = (error.details?.causes as {field: string}[]).map((cause) => cause.field);
    expect(fields).toEqual(expect.arrayContaining(['spec.replicas', 'spec.template.spec.containers[0].image']));
  });

  test('says so when the namespace does not exist, and get gives undefined for a missing object', async () => {
    const error = await rejection(cluster.apply([configMap('orphan', {})], {namespace: 'no-such-namespace-e2e'}));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('The namespace "no-such-namespace-e2e" does not exist.');
    expect(await cluster.get({apiVersion: 'v1', kind: 'ConfigMap', name: 'absent'})).toBeUndefined();
    expect(await cluster.delete({apiVersion: 'v1', kind: 'ConfigMap', name: 'absent'})).toBe(false);
  });

  test('create of an existing object is a CONFLICT naming it', async () => {
    await cluster.apply([configMap('taken', {})]);
    const error = await rejection(cluster.create(configMap('taken', {})));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(`ConfigMap "taken" in namespace "${ns.name}" already exists.`);
  });
});

describe('discovery against the API server', () => {
  test('sees the OpenShift Route API of the test cluster and scopes kinds correctly', async () => {
    const discovery = await cluster.discovery();
    expect(discovery.platform()).toBe('openshift');
    expect(discovery.isNamespaced('apps/v1', 'Deployment')).toBe(true);
    expect(discovery.isNamespaced('v1', 'Namespace')).toBe(false);
  });

  test('answers the questions gshift asks of a cluster: cert-manager? CloudNativePG? once per run', async () => {
    const discovery = await cluster.discovery();
    expect(discovery.has('cert-manager.io/v1')).toBe(true);
    expect(discovery.hasKind('cert-manager.io/v1', 'Certificate')).toBe(true);
    expect(discovery.has('postgresql.cnpg.io/v1')).toBe(true);
    expect(discovery.resource('postgresql.cnpg.io/v1', 'Cluster')).toMatchObject({plural: 'clusters', namespaced: true});
    expect(discovery.has('monitoring.coreos.com/v1')).toBe(false);
    // Cached for the life of the connection: the same snapshot, no second round of requests.
    expect(await cluster.discovery()).toBe(discovery);
  });
});

describe('watch against the API server', () => {
  test('keeps delivering events across connections the server ends every second', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    let synced = false;
    const watching = cluster.watch('v1', 'ConfigMap', {
      labelSelector: 'e2e=watch',
      serverTimeoutSeconds: 1,
      signal: controller.signal,
      onSynced: () => (synced = true),
      onEvent: (type, object) => seen.push(`${type} ${object.metadata.name}`),
    });
    await waitUntil(() => synced, {description: 'the initial list'});
    for (const name of ['w1', 'w2', 'w3']) {
      await cluster.apply([{...configMap(name, {}), metadata: {name, labels: {e2e: 'watch'}}}]);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // outlive the server's timeout
    }
    await cluster.delete({apiVersion: 'v1', kind: 'ConfigMap', name: 'w1'});
    await waitUntil(() => seen.includes('DELETED w1'), {description: 'the DELETED event', timeoutMs: 15_000});
    controller.abort();
    await watching;
    expect(seen).toEqual(['ADDED w1', 'ADDED w2', 'ADDED w3', 'DELETED w1']);
  }, 60_000);
});

describe('pod logs', () => {
  test('reads and follows a container log', async () => {
    const [file] = Object.values(await routePodLogs(ns.name, 'logger', ['app']));
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {name: 'logger'},
        spec: {containers: [{name: 'app', image: 'registry.example/logger:1', securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: ['ALL']}, seccompProfile: {type: 'RuntimeDefault'}}}]},
      },
    ]);
    await waitUntil(async () => (await cluster.get<{status?: {phase?: string}}>({apiVersion: 'v1', kind: 'Pod', name: 'logger'}))?.status?.phase === 'Running', {description: 'the pod to run'});
    appendLogLines(file!, ['hello', 'world']);
    await waitUntil(async () => (await cluster.readLogs(ns.name, 'logger', 'app')).includes('world'), {description: 'the log lines'});

    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const controller = new AbortController();
    const following = cluster.streamLogs(ns.name, 'logger', 'app', {follow: true, tailLines: 1, signal: controller.signal}, out);
    await waitUntil(() => text.includes('world'), {description: 'the last line so far'});
    appendLogLines(file!, ['later']);
    await waitUntil(() => text.includes('later'), {description: 'the followed line'});
    controller.abort();
    await following;
    expect(text).toBe('world\nlater\n');
  }, 60_000);
});

describe('gshift status', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{code: number; stdout: string; stderr: string}>((resolve) => {
      execFile(process.execPath, ['bin/run.js', 'status', ...args], {env: {...process.env, ...env, NO_COLOR: '1'}}, (error, stdout, stderr) =>
        resolve({code: error ? Number(error.code ?? 1) : 0, stdout, stderr}),
      );
    });

  beforeAll(() => {
    if (!existsSync('dist/bundle/commands/status.js')) throw new Error('gshift is not built: run npm run build first (npm test does).');
  });

  test('shows the context, server, version, platform and namespace', async () => {
    const result = await run(['--json', '--tenant', 'shop', '--env', 'dev'], {KUBECONFIG: TEST_KUBECONFIG});
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout).result;
    expect(status).toMatchObject({platform: 'openshift', platformSource: 'detected', namespace: 'shop-dev', namespaceSource: 'tenant and env', kubeconfig: [TEST_KUBECONFIG]});
    expect(status.serverVersion).toMatch(/^v1\.\d+\.\d+/);
    expect(status.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('prints the context, server, version, platform and the effective tenant, environment and namespace for people', async () => {
    const result = await run(['--tenant', 'shop', '--env', 'dev'], {KUBECONFIG: TEST_KUBECONFIG});
    expect(result.code).toBe(0);
    const fields = Object.fromEntries(result.stdout.trim().split('\n').map((line) => line.split(/:\s+(.*)/s).slice(0, 2)));
    expect(Object.keys(fields)).toEqual(['Context', 'Server', 'User', 'Tenant', 'Env', 'Namespace', 'Version', 'Platform']);
    expect(fields.Server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(fields.Version).toMatch(/^v1\.\d+\.\d+/);
    expect(fields.Platform).toBe('openshift (detected)');
    expect(fields.Tenant).toBe('shop (flag --tenant)');
    expect(fields.Namespace).toBe('shop-dev (tenant and env)');
    expect(result.stderr).toBe('');
  });

  test('says in one line that a dead port cannot be reached, with exit code 3', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as {port: number}).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const file = join(mkdtempSync(join(tmpdir(), 'gshift-dead-')), 'config');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'dead',
        clusters: [{name: 'dead', cluster: {server: `https://127.0.0.1:${port}`}}],
        users: [{name: 'u', user: {token: 'unused'}}],
        contexts: [{name: 'dead', context: {cluster: 'dead', user: 'u'}}],
      }),
    );
    const result = await run(['--kubeconfig', file]);
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(`Error: Cannot reach the cluster at https://127.0.0.1:${port} (connection refused).`);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^Try: /);
    // What gshift knows offline comes first, on stdout.
    expect(result.stdout).toMatch(new RegExp(`^Context: +dead\nServer: +https://127\\.0\\.0\\.1:${port}\nUser: +u\n`));
  });
});
