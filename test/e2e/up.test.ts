// gshift up and gshift diff on the real test cluster: a whole tenant from one file (four
// environments, high availability in acc and prod, apps of three stacks, a database attached
// to an app with a backup schedule, a highly available database, an autoscaler with explicit
// bounds, a certificate from cert-manager and one from files), a second run that writes nothing
// (counted in the API server's audit log), a change seen by diff (exit 14) then converged (diff
// exit 0), and --prune removing what the file no longer declares while a database's volume and
// credentials stay.
import {X509Certificate} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {auditMark, envelope, gshiftIn, gshiftWritesSince, newTenant, output, startGshiftIn} from './up-cli.ts';
import {useCertManager} from './support/cert-manager.ts';
import {operateCluster} from './support/cnpg.ts';
import {databaseServers, kubectl, kubectlJson, kubectlResult} from './support/index.ts';
import {makeMaterial} from '../support/cert-material.ts';
import type {CliResult} from '../support/cli.ts';

const TIMEOUT = 300_000;
const tenant = newTenant('up');
const T = tenant.name;
const ns = (env: string) => `${T}-${env}`;
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const up = (...args: string[]) => gshiftIn(tenant.dir, ['up', ...args]);
const diff = (...args: string[]) => gshiftIn(tenant.dir, ['diff', ...args]);
const exists = async (kind: string, name: string, env: string) => (await kubectlResult(['get', kind, name, '-n', ns(env)])).code === 0;
const STATIC_HOST = `static-${T}.apps.example.org`;
const WEB_HOST = `web-${T}.apps.example.org`;
let issuer: string;
let material: ReturnType<typeof makeMaterial>;

type FileChanges = {
  devLogLevel?: string;
  staticAutoscaling?: boolean;
  withApi?: boolean;
  withOrders?: boolean;
  secretEnv?: boolean;
  webMax?: number;
  backupAt?: string;
  ledgerSize?: string;
  webTlsIn?: string[];
  withStaticTls?: boolean;
};

const file = (changes: FileChanges = {}) => {
  const {devLogLevel, staticAutoscaling = false, withApi = true, withOrders = true, secretEnv = false, webMax = 6, backupAt = '0 3 * * *', ledgerSize, webTlsIn = ['prod'], withStaticTls = true} = changes;
  const devApps = [...(devLogLevel ? [`        web: {env: {LOG_LEVEL: ${devLogLevel}}}`] : []), ...(staticAutoscaling ? ['        static: {autoscaling: {min: 1, max: 4}}'] : [])];
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
${devApps.length > 0 ? `      apps:\n${devApps.join('\n')}\n` : ''}    - name: test
    - name: acc
    - name: prod
      quota: pods=60
      apps:
        web: {autoscaling: {min: 3, max: ${webMax}, cpu: 60}, env: {LOG_LEVEL: warn}}
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
      replicas: 2
      host: ${STATIC_HOST}
  databases:
${
  withOrders
    ? `    - name: orders
      engine: postgresql
      size: 2Gi
      backup: {schedule: "${backupAt}", keep: 3}
`
    : ''
}    - name: ledger
      engine: postgresql
      environments: [prod]
      ha: true
${ledgerSize ? `      size: ${ledgerSize}\n` : ''}  certificates:
    - name: web-tls
      app: web
      host: ${WEB_HOST}
      environments: [${webTlsIn.join(', ')}]
      clusterIssuer: ${issuer}
${
  withStaticTls
    ? `    - name: static-tls
      app: static
      files: {cert: static.crt, key: static.key}
`
    : ''
}`;
};

beforeAll(async () => {
  // The databases' pods are ready once the harness serves them; certificates are issued by a real cert-manager.
  const [, ca] = await Promise.all([databaseServers(), useCertManager()]);
  issuer = ca.issuer;
  material = makeMaterial('gshift-up-e2e-');
  material.leaf('static', {sans: `DNS:${STATIC_HOST}`});
  tenant.file('static.crt', material.read('static.crt') + material.read('intermediate.crt'));
  tenant.file('static.key', material.read('static.key'));
  tenant.file('gshift.yaml', file());
}, TIMEOUT);

afterAll(() => tenant.cleanup(), TIMEOUT);

const routeCertificate = async (app: string, env: string) => {
  const route = await kubectlJson<any>(['get', 'route', app, '-n', ns(env)]);
  return route.spec.tls?.certificate ? new X509Certificate(route.spec.tls.certificate) : undefined;
};

describe('gshift up', () => {
  test(
    'bootstraps the tenant: four namespaces, databases (one highly available, one with backups), apps of three stacks, an autoscaler, certificates',
    async () => {
      // No CloudNativePG operator runs in the test cluster: the test reports the Cluster healthy, as the operator would.
      const running = startGshiftIn(tenant.dir, ['up', '--timeout', '4m', '--json']);
      await operateCluster(ns('prod'), 'ledger');
      const run = await running;
      expectSuccess(run);
      const result = envelope(run).result;
      expect(result.environments.map((environment: any) => [environment.env, environment.created, environment.failed])).toEqual([
        ['dev', 6, 0],
        ['test', 6, 0],
        ['acc', 5, 0],
        ['prod', 7, 0],
      ]);
      expect(result.ciKubeconfig).toContain(`gshift tenant ci-kubeconfig ${T} --env prod > kubeconfig-prod`);
      expect(result.urls).toContainEqual({env: 'test', app: 'static', url: `https://${STATIC_HOST}`});
      expect(result.urls).toContainEqual({env: 'prod', app: 'web', url: `https://${WEB_HOST}`});

      for (const env of ['dev', 'test', 'acc', 'prod']) {
        const namespace = await kubectlJson<any>(['get', 'namespace', ns(env)]);
        expect(namespace.metadata.labels).toMatchObject({'gshift.io/tenant': T, 'gshift.io/env': env, 'pod-security.kubernetes.io/enforce': 'restricted'});
        const web = await kubectlJson<any>(['get', 'deployment', 'web', '-n', ns(env)]);
        expect(web.status.readyReplicas).toBeGreaterThanOrEqual(1);
        // The database attached: its connection settings by reference to its Secret, never a value.
        const variables = web.spec.template.spec.containers[0].env;
        expect(variables).toContainEqual({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: 'orders', key: 'password'}}});
        expect((await kubectlJson<any>(['get', 'statefulset', 'orders', '-n', ns(env)])).status.readyReplicas).toBe(1);
        // Its backups: a CronJob on the file's schedule, keeping 3.
        const backups = await kubectlJson<any>(['get', 'cronjob', 'orders-backup', '-n', ns(env)]);
        expect(backups.spec.schedule).toBe('0 3 * * *');
        expect(backups.metadata.annotations['gshift.io/keep']).toBe('3');
        // The certificate from files, on the Route of static in every environment.
        expect((await routeCertificate('static', env))?.subjectAltName).toBe(`DNS:${STATIC_HOST}`);
      }
      // High availability where the file (by default) says: an autoscaler and a disruption budget; prod's with the file's bounds.
      expect((await kubectlJson<any>(['get', 'hpa', 'web', '-n', ns('acc')])).spec).toMatchObject({minReplicas: 2, maxReplicas: 4});
      const prodScaler = (await kubectlJson<any>(['get', 'hpa', 'web', '-n', ns('prod')])).spec;
      expect(prodScaler).toMatchObject({minReplicas: 3, maxReplicas: 6, metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 60}}}]});
      expect((await kubectlJson<any>(['get', 'deployment', 'web', '-n', ns('prod')])).spec.replicas).toBe(3);
      for (const env of ['acc', 'prod']) expect(await exists('pdb', 'web', env)).toBe(true);
      expect(await exists('hpa', 'web', 'dev')).toBe(false);
      expect(await exists('deployment', 'api', 'dev')).toBe(true);
      expect(await exists('deployment', 'api', 'acc')).toBe(false);
      expect((await kubectlJson<any>(['get', 'configmap', 'web-env', '-n', ns('prod')])).data).toEqual({LOG_LEVEL: 'warn'});
      expect((await kubectlJson<any>(['get', 'resourcequota', 'gshift-quota', '-n', ns('prod')])).spec.hard.pods).toBe('60');
      // The highly available database: a CloudNativePG Cluster in prod only, three instances there.
      expect((await kubectlJson<any>(['get', 'clusters.postgresql.cnpg.io', 'ledger', '-n', ns('prod')])).spec.instances).toBe(3);
      expect(await exists('statefulset', 'ledger', 'prod')).toBe(false);
      expect(await exists('clusters.postgresql.cnpg.io', 'ledger', 'acc')).toBe(false);
      // cert-manager issued web's certificate for the host the file gives, and its Route carries it.
      const issued = await kubectlJson<any>(['get', 'certificates.cert-manager.io', 'web-tls', '-n', ns('prod')]);
      expect(issued.spec).toMatchObject({dnsNames: [WEB_HOST], issuerRef: {kind: 'ClusterIssuer', name: issuer}});
      expect((await routeCertificate('web', 'prod'))?.subjectAltName).toBe(`DNS:${WEB_HOST}`);
      expect(await routeCertificate('web', 'dev')).toBeUndefined();
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
      const changed = {devLogLevel: 'debug', secretEnv: true, webMax: 8, backupAt: '30 2 * * *', staticAutoscaling: true, ledgerSize: '2Gi', webTlsIn: ['acc', 'prod']};
      tenant.file('gshift.yaml', file(changed));
      // The files of static's certificate are renewed (a new key): its Secret changes, its values masked.
      material.leaf('static-renewed', {sans: `DNS:${STATIC_HOST}`});
      tenant.file('static.crt', material.read('static-renewed.crt') + material.read('intermediate.crt'));
      tenant.file('static.key', material.read('static-renewed.key'));
      const drift = diff('--env', 'dev');
      expect(drift.status === 14 ? 14 : output(drift)).toBe(14);
      expect(drift.stdout).toContain(`--- ${ns('dev')}/ConfigMap/web-env (cluster)`);
      expect(drift.stdout).toMatch(/^-  LOG_LEVEL: info$/m);
      expect(drift.stdout).toMatch(/^\+  LOG_LEVEL: debug$/m);
      expect(drift.stdout).toMatch(/^\+ +- name: API_TOKEN$/m);
      expect(drift.stdout).not.toContain('s3cret');
      expect(drift.stdout).toContain(`--- ${ns('dev')}/Secret/static-tls (cluster)`);
      expect(drift.stdout).toMatch(/^\+  tls\.key: ['"]?•••• \(changed\)['"]?$/m);
      expect(drift.stdout).not.toContain('PRIVATE KEY');
      expect(drift.stderr).toMatch(/The cluster differs from gshift\.yaml: \d+ objects would change in dev\./);
      // The autoscaler's bounds and the backup schedule, from the server's dry run of prod.
      const prodDrift = diff('--env', 'prod');
      expect(prodDrift.status === 14 ? 14 : output(prodDrift)).toBe(14);
      expect(prodDrift.stdout).toContain(`--- ${ns('prod')}/HorizontalPodAutoscaler/web (cluster)`);
      expect(prodDrift.stdout).toMatch(/^-  maxReplicas: 6$/m);
      expect(prodDrift.stdout).toMatch(/^\+  maxReplicas: 8$/m);
      expect(prodDrift.stdout).toContain(`--- ${ns('prod')}/CronJob/orders-backup (cluster)`);
      expect(prodDrift.stdout).toMatch(/^\+  schedule: ['"]?30 2 \* \* \*/m);
      // The highly available database's volumes grow; cert-manager's certificate is as the file says there.
      expect(prodDrift.stdout).toContain(`--- ${ns('prod')}/Cluster/ledger (cluster)`);
      expect(prodDrift.stdout).toMatch(/^-    size: ['"]?1Gi['"]?$/m);
      expect(prodDrift.stdout).toMatch(/^\+    size: ['"]?2Gi['"]?$/m);
      expect(prodDrift.stdout).not.toContain('Certificate/web-tls');
      // A certificate the file adds in acc: a new cert-manager Certificate, and the app's Route with its host.
      const accDrift = diff('--env', 'acc');
      expect(accDrift.status === 14 ? 14 : output(accDrift)).toBe(14);
      expect(accDrift.stdout).toContain(`+++ ${ns('acc')}/Certificate/web-tls (gshift.yaml)`);
      expect(accDrift.stdout).toMatch(new RegExp(`^\\+ +- ['"]?${WEB_HOST.replaceAll('.', '\\.')}['"]?$`, 'm'));
      expect(accDrift.stdout).toContain(`--- ${ns('acc')}/Route/web (cluster)`);

      const converge = up('--json');
      expectSuccess(converge);
      const dev = envelope(converge).result.environments.find((environment: any) => environment.env === 'dev');
      expect(dev.steps.find((step: any) => step.name === 'web').status).toBe('updated');
      const web = await kubectlJson<any>(['get', 'deployment', 'web', '-n', ns('dev')]);
      expect(web.spec.template.spec.containers[0].env).toContainEqual({name: 'API_TOKEN', valueFrom: {secretKeyRef: {name: 'web-api', key: 'token'}}});
      expect((await kubectlJson<any>(['get', 'hpa', 'web', '-n', ns('prod')])).spec.maxReplicas).toBe(8);
      // An app that gains an autoscaler keeps the count it runs (handed over), not the default of 1.
      expect((await kubectlJson<any>(['get', 'hpa', 'static', '-n', ns('dev')])).spec).toMatchObject({minReplicas: 1, maxReplicas: 4});
      expect((await kubectlJson<any>(['get', 'deployment', 'static', '-n', ns('dev')])).spec.replicas).toBe(2);
      expect((await kubectlJson<any>(['get', 'cronjob', 'orders-backup', '-n', ns('test')])).spec.schedule).toBe('30 2 * * *');
      expect((await kubectlJson<any>(['get', 'clusters.postgresql.cnpg.io', 'ledger', '-n', ns('prod')])).spec.storage.size).toBe('2Gi');
      expect((await routeCertificate('web', 'acc'))?.subjectAltName).toBe(`DNS:${WEB_HOST}`);
      const renewed = new X509Certificate(material.read('static-renewed.crt')).fingerprint256;
      for (const env of ['dev', 'prod']) expect((await routeCertificate('static', env))?.fingerprint256).toBe(renewed);

      const inSync = diff();
      expect(inSync.status === 0 ? 0 : output(inSync)).toBe(0);
      expect(inSync.stdout).toContain('No differences');
    },
    TIMEOUT,
  );

  test(
    '--prune removes the app, the database and the certificate the file no longer declares, and keeps their volumes and the credentials',
    async () => {
      const changed = {devLogLevel: 'debug', secretEnv: true, webMax: 8, backupAt: '30 2 * * *', staticAutoscaling: true, ledgerSize: '2Gi', webTlsIn: ['acc', 'prod']};
      tenant.file('gshift.yaml', file({...changed, withApi: false, withOrders: false, withStaticTls: false}));
      const without = up('--json');
      expectSuccess(without);
      expect(envelope(without).result.prunable.map((candidate: any) => `${candidate.env}/${candidate.kind}/${candidate.name}`)).toEqual(
        expect.arrayContaining(['dev/app/api', 'test/app/api', 'dev/database/orders', 'prod/database/orders', 'dev/certificate/static-tls', 'prod/certificate/static-tls']),
      );
      // Left out without --prune: the certificate stays on its app.
      expect(await routeCertificate('static', 'dev')).toBeDefined();
      expect(await exists('deployment', 'api', 'dev')).toBe(true);

      const unconfirmed = up('--prune');
      expect(unconfirmed.status).toBe(2);
      expect(unconfirmed.stderr).toMatch(/needs confirmation.*\nTry: add --yes/);
      expect(await exists('statefulset', 'orders', 'dev')).toBe(true);

      const pruned = up('--prune', '--yes', '--json');
      expectSuccess(pruned);
      const dev = envelope(pruned).result.environments.find((environment: any) => environment.env === 'dev');
      expect(dev.pruneReports.map((report: any) => report.name).sort()).toEqual(['api', 'orders', 'static-tls']);
      expect(dev.pruneReports.find((report: any) => report.name === 'static-tls')).toMatchObject({kind: 'certificate', removed: ['Secret/static-tls'], detached: ['static']});
      expect(await exists('secret', 'static-tls', 'dev')).toBe(false);
      expect(await routeCertificate('static', 'dev')).toBeUndefined();
      // cert-manager's certificate, still declared, stays.
      expect(await exists('certificates.cert-manager.io', 'web-tls', 'prod')).toBe(true);
      expect(await exists('deployment', 'api', 'dev')).toBe(false);
      expect(await exists('configmap', 'gshift-app-api', 'dev')).toBe(false);
      expect(await exists('statefulset', 'orders', 'dev')).toBe(false);
      expect(await exists('configmap', 'gshift-db-orders', 'dev')).toBe(false);
      // Data stays: the app's volume, the database's volume and the credentials it was made with.
      expect(await exists('pvc', 'api-data', 'dev')).toBe(true);
      expect(await exists('pvc', 'data-orders-0', 'dev')).toBe(true);
      expect(await exists('secret', 'orders', 'prod')).toBe(true);
      expect(await exists('pvc', 'orders-backups', 'prod')).toBe(true);
      expect(await exists('cronjob', 'orders-backup', 'prod')).toBe(false);
      // What gshift did not create is never pruned.
      expect(await exists('secret', 'web-api', 'dev')).toBe(true);

      const inSync = diff('--prune');
      expect(inSync.status === 0 ? 0 : output(inSync)).toBe(0);
    },
    TIMEOUT,
  );
});
