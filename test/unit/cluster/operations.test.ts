import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';

import {clusterFacts} from '../../../src/cluster/facts.js';
import {connect, type Cluster, type KubeObject} from '../../../src/cluster/index.js';
import {aggregated, CORE_AND_APPS, OPENSHIFT_ROUTES, resourceList} from './discovery-documents.js';
import {FakeApiServer, kubeconfigFor, status} from './fake-api-server.js';
import {rejection} from '../../support/rejection.ts';

let server: FakeApiServer;
let dir: string;
let cluster: Cluster;

async function start(served = CORE_AND_APPS): Promise<void> {
  server = new FakeApiServer().json('GET /api', 200, aggregated(served, true)).json('GET /apis', 200, aggregated(served, false));
  await server.start();
  writeFileSync(join(dir, 'config'), kubeconfigFor(server.url, {token: 't'}, {namespace: 'shop-dev'}));
  cluster = await connect({kubeconfig: join(dir, 'config'), env: {}});
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gshift-operations-'));
});
afterEach(async () => {
  await cluster?.close();
  await server?.stop();
  rmSync(dir, {recursive: true, force: true});
});

const deployment = (replicas: number): KubeObject => ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', labels: {app: 'web'}}, spec: {replicas}});

describe('discovery', () => {
  it('answers from aggregated discovery, fetched once per run', async () => {
    await start();
    const discovery = await cluster.discovery();
    expect(discovery.has('apps/v1')).toBe(true);
    expect(discovery.has('route.openshift.io/v1')).toBe(false);
    expect(discovery.hasKind('apps/v1', 'Deployment')).toBe(true);
    expect(discovery.isNamespaced('v1', 'Namespace')).toBe(false);
    expect(discovery.isNamespaced('v1', 'ConfigMap')).toBe(true);
    expect(discovery.resource('apps/v1', 'Deployment')).toEqual({group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, verbs: expect.any(Array)});
    expect(discovery.platform()).toBe('kubernetes');
    await cluster.discovery();
    expect(server.requests.map((request) => request.url.pathname)).toEqual(['/api', '/apis']);
    expect(server.requests[0]!.headers.accept).toContain('as=APIGroupDiscoveryList');
    expect(() => discovery.isNamespaced('example.com/v1', 'Widget')).toThrow('The cluster does not serve Widget (example.com/v1).');
  });

  it('reports openshift when route.openshift.io/v1 is served', async () => {
    await start([...CORE_AND_APPS, ...OPENSHIFT_ROUTES]);
    expect((await cluster.discovery()).platform()).toBe('openshift');
  });

  it('gives the facts gshift status shows, with the platform from the config when it names one', async () => {
    await start([...CORE_AND_APPS, ...OPENSHIFT_ROUTES]);
    server.json('GET /version', 200, {gitVersion: 'v1.36.3', major: '1', minor: '36'});
    expect(await clusterFacts(cluster)).toEqual({
      context: 'fake',
      server: server.url,
      user: 'tester',
      kubeconfig: [join(dir, 'config')],
      serverVersion: 'v1.36.3',
      platform: 'openshift',
      platformSource: 'detected',
    });
    expect(await clusterFacts(cluster, 'kubernetes')).toMatchObject({platform: 'kubernetes', platformSource: 'config'});
  });

  it('falls back to classic discovery, skipping a group whose server is down', async () => {
    server = new FakeApiServer()
      .json('GET /api', 200, {kind: 'APIVersions', versions: ['v1']})
      .json('GET /apis', 200, {
        kind: 'APIGroupList',
        groups: [
          {name: 'apps', versions: [{groupVersion: 'apps/v1', version: 'v1'}]},
          {name: 'metrics.k8s.io', versions: [{groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1'}]},
        ],
      })
      .json('GET /api/v1', 200, resourceList(CORE_AND_APPS, 'v1'))
      .json('GET /apis/apps/v1', 200, resourceList(CORE_AND_APPS, 'apps/v1'))
      .json('GET /apis/metrics.k8s.io/v1beta1', 503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    await server.start();
    writeFileSync(join(dir, 'config'), kubeconfigFor(server.url, {token: 't'}));
    cluster = await connect({kubeconfig: join(dir, 'config'), env: {}});
    const discovery = await cluster.discovery();
    expect(discovery.isNamespaced('apps/v1', 'Deployment')).toBe(true);
    expect(discovery.has('metrics.k8s.io/v1beta1')).toBe(true);
    expect(discovery.hasKind('metrics.k8s.io/v1beta1', 'PodMetrics')).toBe(false);
    expect(discovery.resource('v1', 'Pod')?.plural).toBe('pods');
  });
});

describe('server-side apply', () => {
  /** A fake Deployment endpoint that bumps resourceVersion only when the applied spec changes. */
  function deploymentEndpoint(options: {warning?: string} = {}) {
    let stored: KubeObject | undefined;
    let version = 0;
    const path = '/apis/apps/v1/namespaces/shop-dev/deployments/web';
    server.route(`GET ${path}`, (_request, response) => {
      response.writeHead(stored ? 200 : 404, {'content-type': 'application/json'});
      response.end(JSON.stringify(stored ?? status(404, 'NotFound', 'deployments.apps "web" not found', {name: 'web', kind: 'deployments'})));
    });
    server.route(`PATCH ${path}`, (request, response) => {
      const applied = JSON.parse(request.body) as KubeObject;
      const created = !stored;
      const dryRun = request.url.searchParams.get('dryRun') === 'All';
      const changed = created || JSON.stringify(applied.spec) !== JSON.stringify(stored!.spec);
      const result = {...applied, metadata: {...applied.metadata, uid: 'u1', resourceVersion: String(changed && !dryRun ? ++version : version)}};
      if (!dryRun) stored = result;
      response.writeHead(created ? 201 : 200, {'content-type': 'application/json', ...(options.warning ? {warning: options.warning} : {})});
      response.end(JSON.stringify(result));
    });
  }

  it('creates, then reports unchanged, then configured — with field manager gshift and no force', async () => {
    await start();
    deploymentEndpoint();
    const [first] = await cluster.apply([deployment(2)]);
    expect(first).toMatchObject({action: 'created', ref: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop-dev'}, warnings: []});
    expect((await cluster.apply([deployment(2)]))[0]!.action).toBe('unchanged');
    expect((await cluster.apply([deployment(3)], {dryRun: true}))[0]!.action).toBe('configured');
    expect((await cluster.apply([deployment(3)]))[0]!.action).toBe('configured');

    const patch = server.requests.find((request) => request.method === 'PATCH')!;
    expect(patch.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(patch.url.searchParams.get('fieldManager')).toBe('gshift');
    expect(patch.url.searchParams.has('force')).toBe(false);
    expect(JSON.parse(patch.body).metadata.namespace).toBe('shop-dev');
    const dryRun = server.requests.filter((request) => request.method === 'PATCH')[2]!;
    expect(dryRun.url.searchParams.get('dryRun')).toBe('All');
  });

  it('reads what a real apply changes before writing it; a dry run writes nothing, so it reads and applies at once', async () => {
    await start();
    const path = '/apis/apps/v1/namespaces/shop-dev/deployments/web';
    let patched: () => void = () => {};
    const patchArrived = new Promise<void>((resolve) => (patched = resolve));
    await cluster.discovery(); // (the first request of a run goes alone)
    // The read answers only once the apply has arrived: a dry run that waited for its reads first would never finish.
    server.route(`GET ${path}`, async (_request, response) => {
      await patchArrived;
      response.writeHead(404, {'content-type': 'application/json'});
      response.end(JSON.stringify(status(404, 'NotFound', 'deployments.apps "web" not found', {name: 'web', kind: 'deployments'})));
    });
    server.route(`PATCH ${path}`, (request, response) => {
      patched();
      response.writeHead(201, {'content-type': 'application/json'});
      response.end(JSON.stringify({...JSON.parse(request.body), metadata: {name: 'web', namespace: 'shop-dev', resourceVersion: '1'}}));
    });
    expect((await cluster.apply([deployment(1)], {dryRun: true}))[0]!.action).toBe('created');
    server.requests.length = 0;
    server.route(`GET ${path}`, (_request, response) => {
      response.writeHead(404, {'content-type': 'application/json'});
      response.end(JSON.stringify(status(404, 'NotFound', 'deployments.apps "web" not found', {name: 'web', kind: 'deployments'})));
    });
    await cluster.apply([deployment(1)]);
    expect(server.requests.map((request) => request.method)).toEqual(['GET', 'PATCH']);
  });

  it('sends force=true only when asked, and surfaces Warning headers', async () => {
    await start();
    deploymentEndpoint({warning: '299 - "would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false", 299 - "spec.template: unknown field"'});
    const [outcome] = await cluster.apply([deployment(1)], {force: true});
    expect(server.requests.find((request) => request.method === 'PATCH')!.url.searchParams.get('force')).toBe('true');
    expect(outcome!.warnings).toEqual(['would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false', 'spec.template: unknown field']);
  });

  it('applies cluster-scoped objects without a namespace in the path', async () => {
    await start();
    server.json('GET /api/v1/namespaces/shop-dev', 404, status(404, 'NotFound', 'namespaces "shop-dev" not found', {name: 'shop-dev', kind: 'namespaces'}));
    server.json('PATCH /api/v1/namespaces/shop-dev', 201, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop-dev', resourceVersion: '5'}});
    const [outcome] = await cluster.apply([{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop-dev', namespace: 'ignored'}}]);
    expect(outcome!.action).toBe('created');
    expect(outcome!.ref.namespace).toBeUndefined();
    expect(JSON.parse(server.requests.at(-1)!.body).metadata).toEqual({name: 'shop-dev'});
  });

  it('checks every object before the first write', async () => {
    await start();
    deploymentEndpoint();
    const unknown = await rejection(cluster.apply([deployment(1), {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}}]));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toBe('The cluster does not serve Widget (example.com/v1).');
    const unnamed = await rejection(cluster.apply([deployment(1), {apiVersion: 'v1', kind: 'ConfigMap', metadata: {}}]));
    expect(unnamed.code).toBe('USAGE');
    expect(unnamed.message).toBe('Object 2 of 2 to apply has no metadata.name.');
    expect(server.requests.filter((request) => request.method === 'PATCH')).toEqual([]);
  });

  it('maps a 422 with its field causes', async () => {
    await start();
    server.json('GET /apis/apps/v1/namespaces/shop-dev/deployments/web', 404, status(404, 'NotFound', 'not found'));
    server.json(
      'PATCH /apis/apps/v1/namespaces/shop-dev/deployments/web',
      422,
      status(422, 'Invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1', {causes: [{reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas'}]}),
    );
    const error = await rejection(cluster.apply([deployment(-1)]));
    expect(error.code).toBe('REJECTED');
    expect(error.message).toBe('The cluster rejected Deployment "web" in namespace "shop-dev": spec.replicas: Invalid value: -1: must be greater than or equal to 0.');
  });
});

describe('reading and deleting', () => {
  it('get gives undefined for a missing object; delete gives false', async () => {
    await start();
    expect(await cluster.get({apiVersion: 'v1', kind: 'ConfigMap', name: 'absent'})).toBeUndefined();
    expect(await cluster.delete({apiVersion: 'v1', kind: 'ConfigMap', name: 'absent'})).toBe(false);
    server.json('DELETE /api/v1/namespaces/shop-dev/configmaps/present', 200, {kind: 'Status', status: 'Success'});
    expect(await cluster.delete({apiVersion: 'v1', kind: 'ConfigMap', name: 'present'}, {propagation: 'Foreground'})).toBe(true);
    expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({kind: 'DeleteOptions', propagationPolicy: 'Foreground'});
  });

  it('a read sent ahead answers the next get of that object, once; a later get reads again', async () => {
    await start();
    let version = 0;
    server.route('GET /api/v1/namespaces/shop-dev/configmaps/record', (_request, response) => {
      version++;
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'record', resourceVersion: String(version)}}));
    });
    const ref = {apiVersion: 'v1', kind: 'ConfigMap', name: 'record', namespace: 'shop-dev'};
    cluster.readAhead([ref]);
    // Under way before anyone asks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests.filter((request) => request.url.pathname.endsWith('/record'))).toHaveLength(1);
    expect((await cluster.get(ref))?.metadata.resourceVersion).toBe('1');
    expect(server.requests.filter((request) => request.url.pathname.endsWith('/record'))).toHaveLength(1);
    expect((await cluster.get(ref))?.metadata.resourceVersion).toBe('2');
    // A failed read ahead is the get's failure, reported when the get is made, as a get's own would be.
    server.json('GET /api/v1/namespaces/shop-dev/configmaps/secret-record', 403, status(403, 'Forbidden', 'configmaps "secret-record" is forbidden'));
    const forbidden = {...ref, name: 'secret-record'};
    cluster.readAhead([forbidden]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ahead = await rejection(cluster.get(forbidden));
    const direct = await rejection(cluster.get(forbidden));
    expect({code: ahead.code, message: ahead.message}).toEqual({code: direct.code, message: direct.message});
  });

  it('list follows continue tokens and fills in apiVersion and kind', async () => {
    await start();
    server.route('GET /api/v1/namespaces/shop-dev/configmaps', (request, response) => {
      const second = request.url.searchParams.get('continue') === 'page2';
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify({kind: 'ConfigMapList', metadata: {resourceVersion: second ? '12' : '11', continue: second ? undefined : 'page2'}, items: [{metadata: {name: second ? 'b' : 'a'}}]}));
    });
    const listed = await cluster.list('v1', 'ConfigMap', {labelSelector: 'app=web'});
    expect(listed.items).toEqual([
      {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'a'}},
      {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'b'}},
    ]);
    expect(listed.resourceVersion).toBe('12');
    expect(server.requests.at(-1)!.url.searchParams.get('labelSelector')).toBe('app=web');
  });

  it('retries a throttled request after Retry-After', async () => {
    await start();
    let calls = 0;
    server.route('GET /version', (_request, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(429, {'content-type': 'application/json', 'retry-after': '0'});
        response.end(JSON.stringify(status(429, 'TooManyRequests', 'slow down')));
        return;
      }
      response.writeHead(200, {'content-type': 'application/json'});
      response.end(JSON.stringify({gitVersion: 'v1.36.3', major: '1', minor: '36'}));
    });
    expect((await cluster.serverVersion()).gitVersion).toBe('v1.36.3');
    expect(calls).toBe(2);
  });
});
