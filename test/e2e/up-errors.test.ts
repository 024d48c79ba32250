// A gshift.yaml with five different mistakes: gshift up reports all five at once, each with
// its file:line:column, exits 2, and sends nothing to the cluster. And a rollout that fails:
// diagnosed as app create does it, the other steps done.
import {afterAll, expect, test} from '@jest/globals';

import {envelope, gshiftIn, newTenant} from './up-cli.ts';
import {SIMULATED_IMAGES, kubectlResult} from './support/index.ts';
import {makeMaterial} from '../support/cert-material.ts';

const tenant = newTenant('bad');
afterAll(() => tenant.cleanup(), 60_000);

test('reports every problem of the file with its line, and changes nothing', async () => {
  tenant.file(
    'gshift.yaml',
    `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: ${tenant.name}
spec:
  environments:
    - name: dev
    - name: dev
      apps:
        worker: {replicas: 2}
  apps:
    - name: web
      stack: rubyonrails
      databases: [orders]
      environments: [staging]
  databases:
    - name: cache
      engine: postgresql
`,
  );
  const run = gshiftIn(tenant.dir, ['up']);
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('Error: gshift.yaml has 5 problems:');
  expect(run.stderr.split('\n').filter((line) => line.startsWith('  gshift.yaml:'))).toEqual([
    '  gshift.yaml:8:13: spec.environments[1].name "dev" is declared twice (also at environments[0])',
    '  gshift.yaml:10:9: spec.environments[1].apps.worker overrides the app "worker", which spec.apps does not declare',
    expect.stringMatching(/^ {2}gshift\.yaml:13:14: spec\.apps\[0\]\.stack there is no stack "rubyonrails" \(stacks: .*nodejs.*\)$/),
    '  gshift.yaml:14:19: spec.apps[0].databases[0] the database "orders" is not declared under spec.databases',
    '  gshift.yaml:15:22: spec.apps[0].environments[0] the tenant has no environment "staging" (environments: dev)',
  ]);
  expect((await kubectlResult(['get', 'namespace', `${tenant.name}-dev`])).code).not.toBe(0);

  const json = envelope(gshiftIn(tenant.dir, ['up', '--json']));
  expect(json.error.code).toBe('USAGE');
  expect(json.error.details.problems.map((problem: any) => [problem.line, problem.column])).toEqual([[8, 13], [10, 9], [13, 14], [14, 19], [15, 22]]);
});

test('reports every problem of its databases, autoscalers and certificates with its line, and changes nothing', async () => {
  const material = makeMaterial('gshift-up-errors-');
  material.leaf('other', {sans: 'DNS:other.example.test'});
  tenant.file('other.crt', material.read('other.crt'));
  tenant.file('other.key', material.read('other.key'));
  tenant.file(
    'gshift.yaml',
    `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: ${tenant.name}
spec:
  environments:
    - name: dev
  apps:
    - name: web
      stack: nginx
      host: web.example.test
      autoscaling: {min: 4, max: 2}
  databases:
    - name: cache
      engine: redis
      ha: true
      backup: {schedule: "every night"}
  certificates:
    - name: web-tls
      app: web
      files: {cert: other.crt, key: other.key}
    - name: api-tls
      app: api
      clusterIssuer: ca
    - name: www-tls
      app: web
      environments: []
      files: {cert: missing.crt, key: other.key}
`,
  );
  const run = gshiftIn(tenant.dir, ['up']);
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n').filter((line) => line.startsWith('  gshift.yaml:'))).toEqual([
    '  gshift.yaml:12:26: spec.apps[0].autoscaling.min min 4 is above max 2',
    expect.stringMatching(/^ {2}gshift\.yaml:16:11: spec\.databases\[0\]\.ha ha is for postgresql only/),
    expect.stringMatching(/^ {2}gshift\.yaml:17:26: spec\.databases\[0\]\.backup\.schedule schedule "every night" has 2 fields; a cron schedule has five/),
    expect.stringMatching(/^ {2}gshift\.yaml:21:14: spec\.certificates\[0\]\.files The certificate does not cover web\.example\.test: its SANs are DNS:other\.example\.test/),
    '  gshift.yaml:23:12: spec.certificates[1].app the app "api" is not declared under spec.apps',
    expect.stringMatching(/^ {2}gshift\.yaml:28:14: spec\.certificates\[2\]\.files The cert file \S*missing\.crt cannot be read/),
  ]);
  expect((await kubectlResult(['get', 'namespace', `${tenant.name}-dev`])).code).not.toBe(0);
});

const failing = newTenant('fail');
afterAll(() => failing.cleanup(), 60_000);

test('a rollout that fails is diagnosed as app create does, and stops only what depends on it', () => {
  failing.file(
    'gshift.yaml',
    `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: ${failing.name}
spec:
  environments:
    - name: dev
  apps:
    - name: good
      stack: nginx
    - name: bad
      stack: nginx
      image: ${SIMULATED_IMAGES.imagePullFailure}
`,
  );
  const run = gshiftIn(failing.dir, ['up', '--timeout', '2m']);
  expect(run.status).toBe(8);
  expect(run.stderr).toMatch(/✓ dev\/app\/good: created, rolled out in \d+s/);
  expect(run.stderr).toMatch(/✗ dev\/app\/bad: failed: /);
  // The evidence, as app create prints it, then the error naming the step and the next step.
  expect(run.stderr).toMatch(/dev\/app\/bad:\n(.*\n)*Events:\n(.*\n)*.*Warning +Failed/);
  expect(run.stderr).toMatch(/Error: 1 of 3 steps failed: dev\/app\/bad: .*cannot be pulled/);
  expect(run.stdout).toMatch(/dev +\S+ +namespace, good +- +0 +- +bad +-/);
}, 180_000);
