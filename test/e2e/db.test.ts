// `gshift db` on the real test cluster: a database is accepted under Pod Security "restricted",
// its claim is Bound, its credentials are generated per database and kept, a re-create writes
// nothing, bad input changes nothing, and an attached app reads the Secret by reference only.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output, type CliResult} from './app-cli.ts';
import {databaseServers, kubectlJson, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 120_000;
let ns: TestNamespace;
const db = (...args: string[]) => gshift(ns, ['db', ...args, '-n', ns.name]);
const app = (...args: string[]) => gshift(ns, ['app', ...args, '-n', ns.name]);
const WAIT = ['--timeout', '60s'];
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const get = (kind: string, name: string) => kubectlJson(['get', kind, name], {namespace: ns.name});
const secretValue = (secret: any, key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');
/** Every object's resourceVersion, to prove that a run wrote nothing. */
const versions = async () => {
  const list = await kubectlJson<{items: any[]}>(['get', 'statefulsets,services,configmaps,secrets,networkpolicies,persistentvolumeclaims,deployments'], {namespace: ns.name});
  return Object.fromEntries(list.items.map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.resourceVersion]));
};

beforeAll(async () => {
  // A gshift db pod is Ready once a real server serves it.
  await databaseServers();
  ns = await newNamespace('db', {labels: {'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted'}});
}, 600_000);

describe('gshift db create', () => {
  test(
    'creates a postgresql database under restricted Pod Security: StatefulSet ready, claim Bound, credentials generated',
    async () => {
      const run = db('create', 'orders', '--engine', 'postgresql', '--size', '2Gi', ...WAIT, '--json');
      expectSuccess(run);
      const result = envelope(run).result;
      expect(result).toMatchObject({database: 'orders', engine: 'postgresql', version: '16', created: true, rollout: {statefulSet: 'orders'}});
      expect(run.stdout).not.toMatch(/"password"\s*:\s*"[A-Za-z0-9]{32}"/);
      expect(envelope(run).warnings).toEqual([]);

      const set = await get('statefulset', 'orders');
      expect(set.status.readyReplicas).toBe(1);
      const claim = await get('persistentvolumeclaim', 'data-orders-0');
      expect(claim.status.phase).toBe('Bound');
      expect(claim.spec.resources.requests.storage).toBe('2Gi');
      const secret = await get('secret', 'orders');
      expect(Object.keys(secret.data).sort()).toEqual(['dbname', 'host', 'jdbc-uri', 'password', 'port', 'uri', 'username']);
      expect(secretValue(secret, 'password')).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(secretValue(secret, 'uri')).toBe(`postgresql://orders:${secretValue(secret, 'password')}@orders.${ns.name}.svc:5432/orders`);
      expect((await get('service', 'orders-headless')).spec.clusterIP).toBe('None');
      expect((await get('networkpolicy', 'orders')).spec.ingress[0].from).toEqual([{podSelector: {}}]);
    },
    TIMEOUT,
  );

  test(
    'a second database gets other credentials, and a re-create keeps them and writes nothing',
    async () => {
      expectSuccess(db('create', 'billing', '--engine', 'postgresql', ...WAIT));
      const first = secretValue(await get('secret', 'orders'), 'password');
      expect(secretValue(await get('secret', 'billing'), 'password')).not.toBe(first);

      const before = await versions();
      const again = db('create', 'orders', '--engine', 'postgresql', ...WAIT);
      expectSuccess(again);
      expect(again.stdout).toContain('No changes: database orders is up to date.');
      expect(await versions()).toEqual(before);
      expect(secretValue(await get('secret', 'orders'), 'password')).toBe(first);
    },
    TIMEOUT,
  );

  test(
    'refuses bad input with a clear error and changes nothing',
    async () => {
      const before = await versions();
      const engine = db('create', 'x', '--engine', 'oracle');
      expect(engine.status).toBe(2);
      expect(engine.stderr).toContain('pass --engine with one of: postgresql, mariadb, mysql, redis.');
      const version = db('create', 'x', '--engine', 'postgresql', '--version', '9');
      expect(version.status).toBe(2);
      expect(version.stderr).toContain('pass --version with one of: 16, 15, 13.');
      const shrink = db('create', 'orders', '--engine', 'postgresql', '--size', '1Gi');
      expect(shrink.status).toBe(2);
      expect(shrink.stderr).toContain("Database orders's volume is 2Gi; volumes cannot shrink to 1Gi.");
      expect(db('create', 'orders', '--engine', 'postgresql', '--size', 'lots').status).toBe(2);
      expectSuccess(app('create', 'web', '--stack', 'nodejs', ...WAIT));
      const taken = db('create', 'web', '--engine', 'postgresql');
      expect(taken.status).toBe(7);
      expect(taken.stderr).toContain('The name web is already used by an app');
      const after = await versions();
      for (const [key, value] of Object.entries(before)) expect(after[key]).toBe(value);
    },
    TIMEOUT,
  );
});

describe('gshift db list, info and credentials', () => {
  test(
    'lists and describes the databases, and masks the password and URIs unless --reveal',
    async () => {
      const list = envelope(db('list', '--json')).result.databases;
      expect(list.map((entry: any) => [entry.name, entry.engine, entry.volume, entry.ready])).toEqual([
        ['billing', 'postgresql', 'Bound', true],
        ['orders', 'postgresql', 'Bound', true],
      ]);
      const info = db('info', 'orders');
      expectSuccess(info);
      expect(info.stdout).toMatch(/Volume:\s+Bound, 2Gi/);
      const password = secretValue(await get('secret', 'orders'), 'password');
      const masked = db('credentials', 'orders', '--json');
      expect(masked.stdout).not.toContain(password);
      expect(envelope(masked).result.values).toMatchObject({username: 'orders', dbname: 'orders', password: '••••', uri: '••••', 'jdbc-uri': '••••', port: '5432'});
      const revealed = envelope(db('credentials', 'orders', '--reveal', '--json')).result.values;
      expect(revealed.password).toBe(password);
      const debug = db('info', 'orders', '--debug');
      expect(debug.stdout + debug.stderr).not.toContain(password);
      expect(db('info', 'nope').status).toBe(6);
    },
    TIMEOUT,
  );
});

describe('gshift db attach and detach', () => {
  test(
    'attaches by Secret reference only, rolls the app, and the binding survives app deploy',
    async () => {
      const password = secretValue(await get('secret', 'orders'), 'password');
      const generation = (await get('deployment', 'web')).metadata.generation;
      const run = db('attach', 'orders', '--app', 'web', ...WAIT);
      expectSuccess(run);
      expect(run.stderr).toMatch(/Rolled out web/);
      const deployment = await get('deployment', 'web');
      expect(deployment.metadata.generation).toBeGreaterThan(generation);
      expect(deployment.status.updatedReplicas).toBe(deployment.spec.replicas);
      expect(JSON.stringify(deployment)).not.toContain(password);
      const env = deployment.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: 'orders', key: 'password'}}});
      expect(env).toContainEqual({name: 'DATABASE_URL', value: 'postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@$(DATABASE_HOST):$(DATABASE_PORT)/$(DATABASE_NAME)'});
      expect(envelope(db('info', 'orders', '--json')).result.attached).toEqual([{app: 'web', prefix: 'DATABASE'}]);

      expectSuccess(app('deploy', 'web', '--image', 'registry.access.redhat.com/ubi9/nodejs-22:9.6', ...WAIT));
      expect((await get('deployment', 'web')).spec.template.spec.containers[0].env).toContainEqual({name: 'DATABASE_HOST', valueFrom: {secretKeyRef: {name: 'orders', key: 'host'}}});

      const missing = db('attach', 'orders', '--app', 'nope');
      expect(missing.status).toBe(6);

      expectSuccess(db('detach', 'orders', '--app', 'web', ...WAIT));
      const detached = await get('deployment', 'web');
      expect((detached.spec.template.spec.containers[0].env ?? []).some((variable: any) => variable.name.startsWith('DATABASE_'))).toBe(false);
      expect(envelope(db('info', 'orders', '--json')).result.attached).toEqual([]);
    },
    TIMEOUT,
  );
});
