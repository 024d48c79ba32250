// gshift init on the real test cluster: a starter file from flags alone (no terminal), which
// gshift up applies; and init --from-tenant, whose file describes a tenant made and changed
// by single commands (an autoscaler, a backup schedule, a highly available database,
// certificates from cert-manager and from files among them) so exactly that gshift up with it
// writes nothing (audit log) and gshift diff exits 0.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {auditMark, envelope, gshiftIn, gshiftWritesSince, newTenant, output} from './up-cli.ts';
import {useCertManager} from './support/cert-manager.ts';
import {healthyCluster, writeClusterStatus} from './support/cnpg.ts';
import {databaseServers} from './support/index.ts';
import {makeMaterial, type Material} from '../support/cert-material.ts';
import type {CliResult} from '../support/cli.ts';

const TIMEOUT = 240_000;
const tenant = newTenant('init');
const T = tenant.name;
const gshift = (...args: string[]) => gshiftIn(tenant.dir, args);
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const WEB_HOST = `web-${T}.apps.example.org`;
const API_HOST = `api-${T}.apps.example.org`;
let issuer: string;
let material: Material;

beforeAll(async () => {
  // The databases' pods are ready once the harness serves them; certificates are issued by a real cert-manager.
  const [, ca] = await Promise.all([databaseServers(), useCertManager()]);
  issuer = ca.issuer;
  material = makeMaterial('gshift-init-e2e-');
  material.leaf('api', {sans: `DNS:${API_HOST}`});
}, TIMEOUT);

afterAll(() => tenant.cleanup(), TIMEOUT);

describe('gshift init', () => {
  test('writes a starter file from the flags alone, with the schema line; gshift up applies it', () => {
    const run = gshift('init', '--tenant', T, '--envs', 'dev,test', '--app', 'web:nginx', '--app', 'api:nodejs', '--db', 'cache:redis');
    expectSuccess(run);
    const text = readFileSync(join(tenant.dir, 'gshift.yaml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+gshift\.schema\.json$/);
    expect(text).toContain(`name: ${T}`);
    expect(text).toMatch(/- name: web\n\s+stack: nginx\n\s+databases:\n\s+- cache/);
    expectSuccess(gshift('up', '--timeout', '3m'));
  }, TIMEOUT);

  test('asks for nothing without a terminal: a missing --tenant is an error naming the flag; an existing file stays without --force', () => {
    const missing = gshiftIn(tenant.dir, ['init', '--file', 'other.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Missing --tenant/);
    const before = readFileSync(join(tenant.dir, 'gshift.yaml'), 'utf8');
    const again = gshift('init', '--tenant', 'someone-else');
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/gshift\.yaml already exists\.\nTry: pass --force/);
    expect(readFileSync(join(tenant.dir, 'gshift.yaml'), 'utf8')).toBe(before);
  });

  test('--from-tenant describes a tenant changed by single commands so that up with its file writes nothing', async () => {
    // Changes made the other way: an image deployed, a variable set, a database attached by hand,
    // an autoscaler, a backup schedule, a highly available database, a certificate issued, one added from files.
    const dev = `${T}-dev`;
    expectSuccess(gshift('app', 'deploy', 'web', '--image', 'quay.io/shop/web:2.0', '--tenant', T, '--env', 'test'));
    expectSuccess(gshift('app', 'env', 'set', 'api', 'LOG_LEVEL=debug', '--tenant', T, '--env', 'dev'));
    expectSuccess(gshift('db', 'attach', 'cache', '--app', 'api', '--prefix', 'CACHE', '-n', dev));
    expectSuccess(gshift('scale', 'web', '--min', '1', '--max', '3', '-n', dev));
    expectSuccess(gshift('db', 'backup', 'cache', '--schedule', '0 4 * * *', '-n', `${T}-test`));
    expectSuccess(gshift('db', 'create', 'ledger', '--engine', 'postgresql', '--ha', '--no-wait', '-n', dev));
    await writeClusterStatus(dev, 'ledger', healthyCluster(2, 'ledger-1'));
    expectSuccess(gshift('cert', 'issue', 'web-tls', '--app', 'web', '--host', WEB_HOST, '--cluster-issuer', issuer, '--wait', '-n', dev));
    expectSuccess(gshift('cert', 'add', 'api-tls', '--cert', material.path('api.crt'), '--key', material.path('api.key'), '--app', 'api', '--host', API_HOST, '-n', `${T}-test`));

    const described = gshift('init', '--from-tenant', T, '--file', 'described.yaml', '--json');
    expectSuccess(described);
    const content = envelope(described).result.content;
    // What differs per environment is the environment's; the second attachment of cache in dev is under its own prefix.
    expect(content.spec.environments).toEqual([
      {
        name: 'dev',
        apps: {
          api: {env: {LOG_LEVEL: 'debug'}, databases: ['cache', {name: 'cache', prefix: 'DATABASE'}]},
          web: {autoscaling: {min: 1, max: 3, cpu: 75}, host: WEB_HOST},
        },
      },
      {name: 'test', apps: {api: {databases: ['cache'], host: API_HOST}, web: {image: 'quay.io/shop/web:2.0'}}, databases: {cache: {backup: {schedule: '0 4 * * *', keep: 7}}}},
    ]);
    expect(content.spec.databases).toContainEqual({name: 'ledger', engine: 'postgresql', environments: ['dev'], version: expect.any(String), ha: true});
    // cert-manager's certificate by its issuer; the one from files cannot be read back: named in the header, left out.
    expect(content.spec.certificates).toEqual([{name: 'web-tls', app: 'web', environments: ['dev'], clusterIssuer: issuer}]);
    expect(readFileSync(join(tenant.dir, 'described.yaml'), 'utf8')).toMatch(/^# certificate api-tls of app api \(test\) was added from files, which gshift cannot read back/m);

    const diff = gshift('diff', '-f', 'described.yaml');
    expect(diff.status === 0 ? 0 : output(diff)).toBe(0);
    const mark = auditMark();
    const up = gshift('up', '-f', 'described.yaml', '--json');
    expectSuccess(up);
    expect(envelope(up).result.changed).toBe(false);
    expect(gshiftWritesSince(mark, T).map((event) => `${event.verb} ${event.requestURI}`)).toEqual([]);
  }, TIMEOUT);
});
