// An app's life after create, on the real test cluster: list and status, deploy, restart,
// rollback from the Deployment's history, environment variables plain and secret, and delete
// removing exactly what gshift made.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, objectsIn, output} from './app-cli.ts';
import {kubectlJson, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 90_000;
let ns: TestNamespace;
const app = (...args: string[]) => gshift(ns, ['app', ...args, '-n', ns.name]);
const deployment = () => kubectlJson(['get', 'deployment', 'web'], {namespace: ns.name});

beforeAll(async () => {
  ns = await newNamespace('app-lifecycle');
  const created = app('create', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.0', '--host', 'web.apps.example.org');
  if (created.status !== 0) throw new Error(output(created));
}, TIMEOUT);

describe('app list and status', () => {
  test('lists the app with its stack, image, ready replicas and URL', () => {
    const run = app('list');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^NAME\s+STACK\s+IMAGE\s+READY\s+AGE\s+URL/);
    expect(run.stdout).toMatch(/web\s+nodejs\s+quay\.io\/acme\/web:1\.0\s+1\/1\s+\d+s\s+https:\/\/web\.apps\.example\.org/);
    const json = envelope(app('list', '--json'));
    expect(json.result.apps).toEqual([expect.objectContaining({name: 'web', stack: 'nodejs', ready: 1, desired: 1, url: 'https://web.apps.example.org'})]);
  });

  test('shows conditions, pods with restarts, the URL and recent events', () => {
    const run = app('status', 'web');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Health:\s+healthy/);
    expect(run.stdout).toMatch(/Available\s+True\s+MinimumReplicasAvailable/);
    expect(run.stdout).toMatch(/web-\w+-\w+\s+Running\s+1\/1\s+0/);
    expect(run.stdout).toMatch(/Recent events:/);
    const json = envelope(app('status', 'web', '--json'));
    // The test cluster serves the metrics API (metrics-server): the figures may lag the pod by a scrape.
    expect(json.result).toMatchObject({app: 'web', healthy: true, revision: 1, url: 'https://web.apps.example.org', metricsApi: 'available'});
  });

  test('says which apps exist when asked for one that does not', () => {
    const run = app('status', 'nope');
    expect(run.status).toBe(6);
    expect(run.stderr).toMatch(/No app "nope" in namespace "app-lifecycle-\w+" \(apps there: web\)/);
  });
});

describe('app deploy, restart and rollback', () => {
  test(
    'deploys another image and waits for it',
    async () => {
      const run = app('deploy', 'web', '--image', 'quay.io/acme/web:2.0');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Deploying quay\.io\/acme\/web:2\.0 to web in app-lifecycle-\w+ \(was quay\.io\/acme\/web:1\.0\)/);
      expect(run.stderr).toMatch(/Rolled out web/);
      const current = await deployment();
      expect(current.spec.template.spec.containers[0].image).toBe('quay.io/acme/web:2.0');
      expect(current.status.updatedReplicas).toBe(1);
      expect(app('deploy', 'web', '--image', 'quay.io/acme/web:2.0').stdout.trim()).toBe('No changes: web already runs quay.io/acme/web:2.0.');
    },
    TIMEOUT,
  );

  test(
    'restarts the pods',
    async () => {
      const before = (await deployment()).metadata.annotations['deployment.kubernetes.io/revision'];
      const run = app('restart', 'web');
      expect(run.status).toBe(0);
      const after = await deployment();
      expect(after.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
      expect(Number(after.metadata.annotations['deployment.kubernetes.io/revision'])).toBe(Number(before) + 1);
    },
    TIMEOUT,
  );

  test(
    "rolls back to the previous revision, saying which revision and image it returns to",
    async () => {
      const run = app('rollback', 'web');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Rolled back web to revision 2 \(image quay\.io\/acme\/web:2\.0\)\./);
      const toFirst = app('rollback', 'web', '--to-revision', '1');
      expect(toFirst.status).toBe(0);
      expect(toFirst.stdout).toMatch(/Rolled back web to revision 1 \(image quay\.io\/acme\/web:1\.0\)\./);
      expect(toFirst.stderr).toMatch(/Rolled out web/);
      const current = await deployment();
      expect(current.spec.template.spec.containers[0].image).toBe('quay.io/acme/web:1.0');
      // Rolled out means the pods say so (as kubectl's rule reads them): one pod, of the image
      // rolled back to, and no old one left. The Deployment's status copies that a moment later.
      const pods = (await kubectlJson(['get', 'pods', '-l', 'app.kubernetes.io/instance=web'], {namespace: ns.name})) as {items: {spec: {containers: {image: string}[]}}[]};
      expect(pods.items.map((pod) => pod.spec.containers[0]!.image)).toEqual(['quay.io/acme/web:1.0']);
    },
    TIMEOUT,
  );

  test('names the revisions there are when asked for one that is not', () => {
    const run = app('rollback', 'web', '--to-revision', '99');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Deployment web has no revision 99; its history holds/);
  });
});

describe('app env', () => {
  test(
    'sets plain values in a ConfigMap and secret values in a Secret, rolling the app each time',
    async () => {
      const revision = async () => Number((await deployment()).metadata.annotations['deployment.kubernetes.io/revision']);
      const first = await revision();
      const plain = app('env', 'set', 'web', 'LOG_LEVEL=debug', 'MODE=blue');
      expect(plain.status).toBe(0);
      expect(await revision()).toBe(first + 1);
      const configMap = await kubectlJson(['get', 'configmap', 'web-env'], {namespace: ns.name});
      expect(configMap.data).toEqual({LOG_LEVEL: 'debug', MODE: 'blue'});

      const secret = app('env', 'set', 'web', 'DB_PASSWORD=hunter2', '--secret');
      expect(secret.status).toBe(0);
      expect(output(secret)).not.toMatch(/hunter2/);
      expect(await revision()).toBe(first + 2);
      const stored = await kubectlJson(['get', 'secret', 'web-env-secret'], {namespace: ns.name});
      expect(Buffer.from(stored.data.DB_PASSWORD, 'base64').toString()).toBe('hunter2');
      const container = (await deployment()).spec.template.spec.containers[0];
      expect(container.envFrom).toEqual([{configMapRef: {name: 'web-env'}}, {secretRef: {name: 'web-env-secret', optional: true}}]);

      expect(app('env', 'set', 'web', 'DB_PASSWORD=hunter2', '--secret').stdout).toMatch(/^No changes/);
      expect(await revision()).toBe(first + 2);
    },
    TIMEOUT,
  );

  test('lists the variables with secret values masked unless --reveal', () => {
    const masked = app('env', 'web');
    expect(masked.stdout).toMatch(/DB_PASSWORD\s+••••\s+secret/);
    expect(masked.stdout).toMatch(/LOG_LEVEL\s+debug\s+plain/);
    expect(output(masked)).not.toMatch(/hunter2/);
    expect(JSON.stringify(envelope(app('env', 'web', '--json')))).not.toMatch(/hunter2/);
    expect(app('env', 'web', '--reveal').stdout).toMatch(/DB_PASSWORD\s+hunter2\s+secret/);
  });

  test(
    'unsets variables wherever they are, rolling the app',
    async () => {
      const revision = async () => Number((await deployment()).metadata.annotations['deployment.kubernetes.io/revision']);
      const before = await revision();
      const run = app('env', 'unset', 'web', 'DB_PASSWORD', 'MODE');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Removed DB_PASSWORD, MODE from web/);
      expect(run.stderr).toMatch(/Rolled out web/);
      expect(await revision()).toBe(before + 1);
      expect((await kubectlJson(['get', 'configmap', 'web-env'], {namespace: ns.name})).data).toEqual({LOG_LEVEL: 'debug'});
      expect(await objectsIn(ns)).not.toContain('Secret/web-env-secret');
    },
    TIMEOUT,
  );
});

describe('app delete', () => {
  test(
    'asks for --yes without a terminal, then removes what gshift made and nothing else, keeping claims',
    async () => {
      await ns.kubectl(['create', 'configmap', 'not-gshifts', '--from-literal=a=b']);
      const storage = app('create', 'web', '--stack', 'nodejs', '--storage', '1Gi', '--no-wait');
      expect(storage.stdout).toMatch(/persistentvolumeclaim\/web-data created/);

      const unconfirmed = app('delete', 'web');
      expect(unconfirmed.status).toBe(2);
      expect(unconfirmed.stderr).toMatch(/add --yes/);
      expect(await objectsIn(ns)).toContain('Deployment/web');

      const run = app('delete', 'web', '--yes');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Kept PersistentVolumeClaim\/web-data/);
      expect(await objectsIn(ns)).toEqual(['ConfigMap/not-gshifts', 'PersistentVolumeClaim/web-data']);

      expect(app('delete', 'web', '--yes').stdout.trim()).toBe(`No changes: there is no app web in ${ns.name}.`);
    },
    TIMEOUT,
  );
});
