// gshift up and gshift diff on the real test cluster: a whole tenant from one file (four
// environments, high availability in acc and prod, apps of three stacks, a database attached
// to an app), a second run that writes nothing (counted in the API server's audit log), a
// change seen by diff (exit 14) then converged (diff exit 0), and --prune removing what the
// file no longer declares while a database's volume and credentials stay.
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {auditMark, envelope, gshiftIn, gshiftWritesSince, newTenant, output} from './up-cli.ts';
import {kubectl, kubectlJson, kubectlResult} from './support/index.ts';
import type {CliResult} from '../support/cli.ts';

const TIMEOUT = 300_000;
const tenant = newTenant('up');
const T = tenant.name;
const ns = (env: string) => `${T}-${env}`;
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const up = (...args: string[]) => gshiftIn(tenant.dir, ['up', ...args]);
const diff = (...args: string[]) => gshiftIn(tenant.dir, ['diff', ...args]);
const exists = async (kind: string, name: string, env: string) => (await kubectlResult(['get', kind, name, '-n', ns(env)])).code === 0;

const file = (changes: {devLogLevel?: string; withApi?: boolean; withOrders?: boolean; secretEnv?: boolean} = {}) => {
  const {devLogLevel, withApi = true, withOrders = true, secretEnv = false} = changes;
  return `# yaml-language-server: $schema=../schema/gshift.schema.json
apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: ${T}
spec:
  quota: cpu=8,memory=16Gi,pods=40
  groups: {developers: [${T}-devs], viewers: [${T}-auditors]}
  ciAccount: true
  environments:
    - name: dev
${devLogLevel ? `      apps:\n        web: {env: {LOG_LEVEL: ${devLogLevel}}}\n` : ''}    - name: test
    - name: acc
    - name: prod
      quota: pods=60
      apps:
        web: {replicas: 3, env: {LOG_LEVEL: warn}}
  apps:
    - name: web
      stack: nodejs
      image: quay.io/shop/web:1.4
      env: {LOG_LEVEL: info}
${secretEnv ? '      secretEnv: {API_TOKEN: {secret: web-api, key: token}}\n' : ''}${withOrders ? '      databases: [orders]\n' : ''}${
    withApi
      ? `    - name: api
      stack: java
      storage: 1Gi
      environments: [dev, test]
`
      : ''
  }    - name: static
      stack: nginx
      host: static-${T}.apps.example.org
${
  withOrders
    ? `  databases:
    - name: orders
      engine: postgresql
      size: 2Gi
`
    : ''
}`;
};

beforeAll(() => {
  tenant.file('gshift.yaml', file());
});

afterAll(() => tenant.cleanup(), TIMEOUT);

describe('gshift up', () => {
  test(
    'bootstraps the tenant: four namespaces, a database attached to an app, apps of three stacks, high availability in acc and prod',
    async () => {
      const run = up('--timeout', '4m', '--json');
      expectSuccess(run);
      const result = envelope(run).result;
      expect(result.environments.map((environment: any) => [environment.env, environment.created, environment.failed])).toEqual([
        ['dev', 5, 0],
        ['test', 5, 0],
        ['acc', 4, 0],
        ['prod', 4, 0],
      ]);
      expect(result.ciKubeconfig).toContain(`gshift tenant ci-kubeconfig ${T} --env prod > kubeconfig-prod`);
      expect(result.urls).toContainEqual({env: 'test', app: 'static', url: `https://static-${T}.apps.example.org`});

      for (const env of ['dev', 'test', 'acc', 'prod']) {
        const namespace = await kubectlJson<any>(['get', 'namespace', ns(env)]);
        expect(namespace.metadata.labels).toMatchObject({'gshift.io/tenant': T, 'gshift.io/env': env, 'pod-security.kubernetes.io/enforce': 'restricted'});
        const web = await kubectlJson<any>(['get', 'deployment', 'web', '-n', ns(env)]);
        expect(web.status.readyReplicas).toBeGreaterThanOrEqual(1);
        // The database attached: its connection settings by reference to its Secret, never a value.
        const variables = web.spec.template.spec.containers[0].env;
        expect(variables).toContainEqual({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: 'orders', key: 'password'}}});
        expect((await kubectlJson<any>(['get', 'statefulset', 'orders', '-n', ns(env)])).status.readyReplicas).toBe(1);
      }
      // High availability where the file (by default) says: an autoscaler and a disruption budget.
      for (const env of ['acc', 'prod']) {
        expect((await kubectlJson<any>(['get', 'hpa', 'web', '-n', ns(env)])).spec.minReplicas).toBe(env === 'prod' ? 3 : 2);
        expect(await exists('pdb', 'web', env)).toBe(true);
      }
      expect(await exists('hpa', 'web', 'dev')).toBe(false);
      expect(await exists('deployment', 'api', 'dev')).toBe(true);
      expect(await exists('deployment', 'api', 'acc')).toBe(false);
      expect((await kubectlJson<any>(['get', 'configmap', 'web-env', '-n', ns('prod')])).data).toEqual({LOG_LEVEL: 'warn'});
      expect((await kubectlJson<any>(['get', 'resourcequota', 'gshift-quota', '-n', ns('prod')])).spec.hard.pods).toBe('60');
    },
    TIMEOUT,
  );

  test(
    'run again right away, reports everything unchanged and writes nothing (counted in the audit log)',
    () => {
      const mark = auditMark();
      const run = up('--json');
      expectSuccess(run);
      const result = envelope(run).result;
      expect(result.changed).toBe(false);
      expect(result.environments.every((environment: any) => environment.created + environment.updated === 0)).toBe(true);
      expect(gshiftWritesSince(mark, T).map((event) => `${event.verb} ${event.requestURI}`)).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'diff shows a change to the file as a unified diff and exits 14; up converges; diff then exits 0',
    async () => {
      await kubectl(['create', 'secret', 'generic', 'web-api', '--from-literal=token=s3cret', '-n', ns('dev')]);
      for (const env of ['test', 'acc', 'prod']) await kubectl(['create', 'secret', 'generic', 'web-api', '--from-literal=token=s3cret', '-n', ns(env)]);
      tenant.file('gshift.yaml', file({devLogLevel: 'debug', secretEnv: true}));
      const drift = diff('--env', 'dev');
      expect(drift.status === 14 ? 14 : output(drift)).toBe(14);
      expect(drift.stdout).toContain(`--- ${ns('dev')}/ConfigMap/web-env (cluster)`);
      expect(drift.stdout).toMatch(/^-  LOG_LEVEL: info$/m);
      expect(drift.stdout).toMatch(/^\+  LOG_LEVEL: debug$/m);
      expect(drift.stdout).toMatch(/^\+ +- name: API_TOKEN$/m);
      expect(drift.stdout).not.toContain('s3cret');
      expect(drift.stderr).toMatch(/The cluster differs from gshift\.yaml: \d+ objects would change in dev\./);

      const converge = up('--json');
      expectSuccess(converge);
      const dev = envelope(converge).result.environments.find((environment: any) => environment.env === 'dev');
      expect(dev.steps.find((step: any) => step.name === 'web').status).toBe('updated');
      const web = await kubectlJson<any>(['get', 'deployment', 'web', '-n', ns('dev')]);
      expect(web.spec.template.spec.containers[0].env).toContainEqual({name: 'API_TOKEN', valueFrom: {secretKeyRef: {name: 'web-api', key: 'token'}}});

      const inSync = diff();
      expect(inSync.status === 0 ? 0 : output(inSync)).toBe(0);
      expect(inSync.stdout).toContain('No differences');
    },
    TIMEOUT,
  );

  test(
    '--prune removes the app and the database the file no longer declares, and keeps their volumes and the credentials',
    async () => {
      tenant.file('gshift.yaml', file({devLogLevel: 'debug', secretEnv: true, withApi: false, withOrders: false}));
      const without = up('--json');
      expectSuccess(without);
      expect(envelope(without).result.prunable.map((candidate: any) => `${candidate.env}/${candidate.kind}/${candidate.name}`)).toEqual(
        expect.arrayContaining(['dev/app/api', 'test/app/api', 'dev/database/orders', 'prod/database/orders']),
      );
      expect(await exists('deployment', 'api', 'dev')).toBe(true);

      const unconfirmed = up('--prune');
      expect(unconfirmed.status).toBe(2);
      expect(unconfirmed.stderr).toMatch(/needs confirmation.*\nTry: add --yes/);
      expect(await exists('statefulset', 'orders', 'dev')).toBe(true);

      const pruned = up('--prune', '--yes', '--json');
      expectSuccess(pruned);
      const dev = envelope(pruned).result.environments.find((environment: any) => environment.env === 'dev');
      expect(dev.pruneReports.map((report: any) => report.name).sort()).toEqual(['api', 'orders']);
      expect(await exists('deployment', 'api', 'dev')).toBe(false);
      expect(await exists('configmap', 'gshift-app-api', 'dev')).toBe(false);
      expect(await exists('statefulset', 'orders', 'dev')).toBe(false);
      expect(await exists('configmap', 'gshift-db-orders', 'dev')).toBe(false);
      // Data stays: the app's volume, the database's volume and the credentials it was made with.
      expect(await exists('pvc', 'api-data', 'dev')).toBe(true);
      expect(await exists('pvc', 'data-orders-0', 'dev')).toBe(true);
      expect(await exists('secret', 'orders', 'prod')).toBe(true);
      // What gshift did not create is never pruned.
      expect(await exists('secret', 'web-api', 'dev')).toBe(true);

      const inSync = diff('--prune');
      expect(inSync.status === 0 ? 0 : output(inSync)).toBe(0);
    },
    TIMEOUT,
  );
});
