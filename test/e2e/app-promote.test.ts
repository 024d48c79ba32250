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

describe('app promote', () => {
  test(
    'deploys the exact digest the source runs to the target, keeping the target’s configuration',
    async () => {
      const pods = await kubectlJson(['get', 'pods', '-l', 'app.kubernetes.io/instance=web'], {namespace: `${tenant}-dev`});
      const imageID: string = pods.items[0].status.containerStatuses[0].imageID;
      const digest = imageID.slice(imageID.lastIndexOf('@') + 1);
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

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
    },
    TIMEOUT,
  );

  test('changes nothing when the target already runs that digest', () => {
    const run = app('promote', 'web', '--from', 'dev', '--to', 'test');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^No changes: web in test already runs quay\.io\/acme\/web@sha256:/);
  });

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
      expect(run.stderr).toMatch(/App api in dev is not healthy \(0 of 1 replicas available; api-\S+ is \w+\), so gshift will not promote it/);
      expect(run.stderr).toMatch(/--force/);
      expect((await deployment('test', 'api')).metadata.resourceVersion).toBe(before);
    },
    TIMEOUT,
  );
});
