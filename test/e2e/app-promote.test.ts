// `gshift app promote` between a tenant's environments on the real test cluster: the digest the
// source pods report (not the tag) lands in the target, the target keeps its own configuration,
// and an unhealthy source is refused unless --force.
import {randomBytes} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {SIMULATED_IMAGES, TEST_KUBECONFIG, TEST_NAMESPACE_LABEL, kubectl, kubectlJson} from './support/index.ts';

const TIMEOUT = 90_000;
// promote finds environments as namespaces <tenant>-<env>, so this test names its own.
const tenant = `promo${randomBytes(3).toString('hex')}`;
const cli = {kubeconfig: TEST_KUBECONFIG};
const app = (...args: string[]) => gshift(cli, ['app', ...args, '--tenant', tenant]);
const deployment = (env: string, name: string) => kubectlJson(['get', 'deployment', name], {namespace: `${tenant}-${env}`});

beforeAll(async () => {
  for (const env of ['dev', 'test']) {
    await kubectl(['create', 'namespace', `${tenant}-${env}`]);
    await kubectl(['label', 'namespace', `${tenant}-${env}`, `${TEST_NAMESPACE_LABEL}=true`]);
  }
  const ready = (env: string, ...args: string[]) => {
    const run = app('create', ...args, '--env', env);
    if (run.status !== 0) throw new Error(output(run));
  };
  ready('dev', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.4');
  ready('test', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.3', '--env-var', 'MODE=test', '--replicas', '2');
}, TIMEOUT);

afterAll(async () => {
  await kubectl(['delete', 'namespace', `${tenant}-dev`, `${tenant}-test`, '--wait=false', '--ignore-not-found']);
});

const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;

/** The imageID every ready pod of the app reports, which must be one (no rollout under way). */
async function reportedImageId(env: string, name: string): Promise<string> {
  const pods = await kubectlJson(['get', 'pods', '-l', `app.kubernetes.io/instance=${name}`], {namespace: `${tenant}-${env}`});
  const ids = new Set<string>(pods.items.filter((pod: any) => !pod.metadata.deletionTimestamp).map((pod: any) => pod.status.containerStatuses[0].imageID));
  expect(ids.size).toBe(1);
  return [...ids][0]!;
}

describe('app promote', () => {
  test(
    'deploys the exact digest the source runs to the target, keeping the target’s configuration',
    async () => {
      // As kubelet reports it: the source's repository (no tag) at the digest of what it pulled.
      const imageID = await reportedImageId('dev', 'web');
      const [repository, digest] = imageID.split('@') as [string, string];
      expect(repository).toBe('quay.io/acme/web');
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(digest).not.toBe(ZERO_DIGEST);

      const run = app('promote', 'web', '--from', 'dev', '--to', 'test', '--json');
      expect(run.status).toBe(0);
      const json = envelope(run);
      expect(json.result).toMatchObject({image: `quay.io/acme/web@${digest}`, from: {env: 'dev', digest, image: 'quay.io/acme/web:1.4'}, to: {env: 'test', namespace: `${tenant}-test`}});
      expect(json.result.rollout[0].progress).toMatchObject({desired: 2, available: 2});

      const target = await deployment('test', 'web');
      expect(target.spec.template.spec.containers[0].image).toBe(`quay.io/acme/web@${digest}`);
      expect(target.spec.replicas).toBe(2);
      expect(target.spec.template.spec.containers[0].envFrom).toEqual([{configMapRef: {name: 'web-env'}}]);
      expect((await deployment('dev', 'web')).spec.template.spec.containers[0].image).toBe('quay.io/acme/web:1.4');
      // The target's pods run those very bytes: they report the same digest.
      expect(await reportedImageId('test', 'web')).toBe(`quay.io/acme/web@${digest}`);
    },
    TIMEOUT,
  );

  test('changes nothing when the target already runs that digest', () => {
    const run = app('promote', 'web', '--from', 'dev', '--to', 'test');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^No changes: web in test already runs quay\.io\/acme\/web@sha256:/);
  });

  test(
    'follows the source to another tag: a different digest, promoted exactly',
    async () => {
      const before = (await reportedImageId('dev', 'web')).split('@')[1];
      const deploy = app('deploy', 'web', '--image', 'quay.io/acme/web:1.5', '--env', 'dev');
      expect(deploy.status).toBe(0);
      const [repository, digest] = (await reportedImageId('dev', 'web')).split('@') as [string, string];
      expect(repository).toBe('quay.io/acme/web');
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(digest).not.toBe(before);
      expect(digest).not.toBe(ZERO_DIGEST);

      const run = app('promote', 'web', '--from', 'dev', '--to', 'test', '--json');
      expect(run.status).toBe(0);
      expect(envelope(run).result).toMatchObject({image: `quay.io/acme/web@${digest}`, from: {digest, image: 'quay.io/acme/web:1.5'}});
      expect((await deployment('test', 'web')).spec.template.spec.containers[0].image).toBe(`quay.io/acme/web@${digest}`);
      expect(await reportedImageId('test', 'web')).toBe(`quay.io/acme/web@${digest}`);
    },
    TIMEOUT,
  );

  test(
    'refuses to promote an unhealthy source, and changes nothing in the target',
    async () => {
      const broken = app('create', 'api', '--stack', 'nodejs', '--image', SIMULATED_IMAGES.crashLoop, '--env', 'dev');
      expect(broken.status).toBe(8);
      const target = app('create', 'api', '--stack', 'nodejs', '--image', 'quay.io/acme/api:1.0', '--env', 'test');
      expect(target.status).toBe(0);
      const before = (await deployment('test', 'api')).metadata.resourceVersion;

      const run = app('promote', 'api', '--from', 'dev', '--to', 'test');
      expect(run.status).toBe(7);
      expect(run.stderr).toMatch(/App api in dev is not healthy \(0 of 1 replicas available; api-\S+ is \w+( \(0\/1 ready, \d+ restarts?\))?\), so gshift will not promote it/);
      expect(run.stderr).toMatch(/--force/);
      expect((await deployment('test', 'api')).metadata.resourceVersion).toBe(before);
    },
    TIMEOUT,
  );
});
