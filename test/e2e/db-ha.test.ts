// `gshift db create --ha`: a CloudNativePG Cluster, accepted by the operator's CRD (installed in the
// test cluster; no operator runs, so the test writes the Cluster's status as the operator would,
// through the status subresource), followed to ready and described by `db info` from that status.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output, startGshift, type CliResult} from './app-cli.ts';
import {healthyCluster, writeClusterStatus} from './support/cnpg.ts';
import {kubectlJson, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 120_000;
let ns: TestNamespace;
const db = (...args: string[]) => gshift(ns, ['db', ...args, '-n', ns.name]);
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);

const healthy = healthyCluster;
const writeStatus = (name: string, status: object) => writeClusterStatus(ns.name, name, status);

beforeAll(async () => {
  ns = await newNamespace('db-ha', {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}});
}, TIMEOUT);

describe('gshift db create --ha', () => {
  test(
    'renders a CloudNativePG Cluster with three instances in prod, storage, and initdb from a basic-auth owner Secret',
    async () => {
      const run = db('create', 'orders', '--engine', 'postgresql', '--ha', '--env', 'prod', '--size', '5Gi', '--no-wait', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({database: 'orders', engine: 'postgresql', ha: true, secret: 'orders-app', created: true});
      const cluster = await kubectlJson(['get', 'clusters.postgresql.cnpg.io', 'orders'], {namespace: ns.name});
      expect(cluster.spec).toMatchObject({instances: 3, storage: {size: '5Gi'}, imageName: 'ghcr.io/cloudnative-pg/postgresql:16', bootstrap: {initdb: {database: 'orders', owner: 'orders', secret: {name: 'orders-owner'}}}});
      const owner = await kubectlJson(['get', 'secret', 'orders-owner'], {namespace: ns.name});
      expect(owner.type).toBe('kubernetes.io/basic-auth');
      expect(Object.keys(owner.data).sort()).toEqual(['password', 'username']);
      expect(run.stdout).not.toContain(Buffer.from(owner.data.password, 'base64').toString('utf8'));
      expect((await kubectlJson(['get', 'statefulsets'], {namespace: ns.name})).items).toEqual([]);

      const again = db('create', 'orders', '--engine', 'postgresql', '--env', 'prod', '--no-wait');
      expectSuccess(again);
      expect(again.stdout).toContain('No changes');
    },
    TIMEOUT,
  );

  test(
    'db info reads the Cluster status: ready only when healthy, Ready, every instance ready and no switchover under way',
    async () => {
      const before = envelope(db('info', 'orders', '--json')).result;
      expect(before).toMatchObject({ready: false, ha: {instances: 3, readyInstances: 0, ready: false}});

      await writeStatus('orders', healthy(3, 'orders-1'));
      const info = envelope(db('info', 'orders', '--json')).result;
      expect(info).toMatchObject({ready: true, replicas: {desired: 3, ready: 3}, host: `orders-rw.${ns.name}.svc`, secret: 'orders-app', ha: {phase: 'Cluster in healthy state', instances: 3, readyInstances: 3, currentPrimary: 'orders-1', targetPrimary: 'orders-1', ready: true}});
      expect(db('info', 'orders').stdout).toMatch(/CloudNativePG:\s+Cluster in healthy state; 3\/3 instances ready; primary orders-1/);

      await writeStatus('orders', healthy(3, 'orders-1', 'orders-2'));
      expect(envelope(db('info', 'orders', '--json')).result.ready).toBe(false);
      await writeStatus('orders', {status: {...healthy(3, 'orders-2').status, readyInstances: 2}});
      expect(envelope(db('info', 'orders', '--json')).result.ready).toBe(false);
    },
    TIMEOUT,
  );

  test(
    'create --ha waits until the operator reports the cluster healthy',
    async () => {
      const run = startGshift(ns, ['db', 'create', 'billing', '--engine', 'postgresql', '--ha', '--timeout', '60s', '-n', ns.name]);
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 30_000;
        const poll = setInterval(async () => {
          const found = await kubectlJson(['get', 'clusters.postgresql.cnpg.io'], {namespace: ns.name});
          if (found.items.some((item: any) => item.metadata.name === 'billing')) {
            clearInterval(poll);
            resolve();
          } else if (Date.now() > deadline) {
            clearInterval(poll);
            reject(new Error('the Cluster billing was not created'));
          }
        }, 200);
      });
      expect(run.child.exitCode).toBeNull();
      await writeStatus('billing', healthy(2, 'billing-1'));
      const done = await run.exited;
      expect(done.status === 0 ? 0 : `${done.stdout}\n${done.stderr}`).toBe(0);
      expect(done.stderr).toContain('Rolled out billing');
    },
    TIMEOUT,
  );

  test(
    'an attached app reads the operator\'s <name>-app Secret; the credentials are masked unless --reveal',
    async () => {
      expectSuccess(gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--env', 'prod', '-n', ns.name, '--no-wait']));
      expectSuccess(db('attach', 'orders', '--app', 'web', '--no-wait'));
      const env = (await kubectlJson(['get', 'deployment', 'web'], {namespace: ns.name})).spec.template.spec.containers[0].env;
      expect(env).toContainEqual({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: 'orders-app', key: 'password'}}});
      const masked = envelope(db('credentials', 'orders', '--json')).result;
      expect(masked).toMatchObject({secret: 'orders-owner', values: {username: 'orders', password: '••••'}});
    },
    TIMEOUT,
  );

  test(
    'other engines refuse --ha with the reason, and nothing is written',
    async () => {
      for (const engine of ['mariadb', 'mysql', 'redis']) {
        const run = db('create', 'cache', '--engine', engine, '--ha');
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(`--ha is for postgresql only: gshift runs ${engine} as one server`);
      }
      expect((await kubectlJson(['get', 'statefulsets,configmaps'], {namespace: ns.name})).items.map((item: any) => item.metadata.name)).not.toContain('cache');
    },
    TIMEOUT,
  );
});

describe('gshift db create --ha --dry-run', () => {
  test('prints the Cluster and the owner Secret with the password masked, --reveal shows it', () => {
    const masked = gshift({kubeconfig: '/nonexistent'}, ['db', 'create', 'orders', '--engine', 'postgresql', '--ha', '--dry-run', '-n', 'shop-prod', '--env', 'prod']);
    expectSuccess(masked);
    expect(masked.stdout).toContain('kind: Cluster');
    expect(masked.stdout).toMatch(/password: "••••"/);
    const revealed = gshift({kubeconfig: '/nonexistent'}, ['db', 'create', 'orders', '--engine', 'postgresql', '--ha', '--dry-run', '--reveal', '-n', 'shop-prod']);
    expect(revealed.stdout).toMatch(/password: "?[A-Za-z0-9]{32}"?\n/);
  });
});
