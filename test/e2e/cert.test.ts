// `gshift cert` on the real test cluster (OpenShift flavour): the checked certificate becomes a
// kubernetes.io/tls Secret and the app's Route carries it inline, later renders keep it, list and
// check see it with its expiry, rotate and remove work on it, and bad input writes nothing.
// Every certificate and key is made by openssl at test time (test/support/cert-material.ts).
import {beforeAll, describe, expect, test} from '@jest/globals';
import {X509Certificate} from 'node:crypto';
import {writeFileSync} from 'node:fs';

import {makeMaterial, type Material} from '../support/cert-material.ts';
import {envelope, gshift, output, type CliResult} from './app-cli.ts';
import {kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 120_000;
const HOST = 'web.shop.example.test';
let ns: TestNamespace;
let m: Material;
const cert = (...args: string[]) => gshift(ns, ['cert', ...args, '-n', ns.name]);
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const get = (kind: string, name: string) => kubectlJson(['get', kind, name], {namespace: ns.name});
const decoded = (secret: any, key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');
const pem = (name: string) => new X509Certificate(m.read(name)).toString();
/** The resourceVersion of everything cert add could write, to prove that a run wrote nothing. */
const versions = async () => {
  const list = await kubectlJson<{items: any[]}>(['get', 'secrets,routes,configmaps,deployments,services'], {namespace: ns.name});
  return Object.fromEntries(list.items.map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.resourceVersion]));
};

beforeAll(async () => {
  m = makeMaterial('gshift-cert-e2e-');
  m.leaf('web', {sans: `DNS:${HOST}`});
  m.leaf('web-next', {sans: `DNS:${HOST},DNS:www.shop.example.test`, to: 200});
  m.leaf('other-host', {sans: 'DNS:shop.other.test'});
  m.leaf('api', {sans: 'DNS:api.shop.example.test'});
  m.leaf('short', {sans: 'DNS:short.shop.example.test', to: 3});
  m.leaf('long', {sans: 'DNS:long.shop.example.test', to: 400});
  m.leaf('expired', {sans: `DNS:${HOST}`, from: -60, to: -2});
  m.leaf('future', {sans: `DNS:${HOST}`, from: 5, to: 90});
  m.leaf('weak', {sans: `DNS:${HOST}`, key: ['-newkey', 'rsa:1024', '-nodes']});
  m.openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'other-root.key', '-out', 'other-root.crt', '-days', '30', '-subj', '/CN=some other root');
  writeFileSync(m.path('web-chain.pem'), m.read('web.crt') + m.read('intermediate.crt'));
  writeFileSync(m.path('short-shuffled.pem'), m.read('intermediate.crt') + m.read('short.crt'));
  m.openssl('x509', '-in', 'web.crt', '-outform', 'der', '-out', 'web.der');
  m.openssl('pkey', '-in', 'web.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'web-encrypted.key');
  m.openssl('pkey', '-in', 'api.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'api-encrypted.key');
  ns = await newNamespace('cert');
  expectSuccess(gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--host', HOST, '-n', ns.name, '--timeout', '60s']));
  expectSuccess(gshift(ns, ['app', 'create', 'api', '--stack', 'nodejs', '-n', ns.name, '--timeout', '60s']));
}, TIMEOUT);

describe('gshift cert add', () => {
  test(
    'refuses bad input with a clear error, before anything is written',
    async () => {
      const before = await versions();
      const cases: [string[], number, RegExp][] = [
        [['--cert', m.path('missing.crt'), '--key', m.path('web.key')], 2, /--cert .*missing\.crt cannot be read: it does not exist/],
        [['--cert', m.path('web.der'), '--key', m.path('web.key')], 2, /web\.der is DER \(binary\), and gshift expects PEM[\s\S]*openssl x509 -inform der/],
        [['--cert', m.path('web.crt'), '--key', m.path('web-encrypted.key')], 2, /is encrypted, and there is no passphrase and no terminal[\s\S]*--key-passphrase-env VAR/],
        [['--cert', m.path('web.crt'), '--key', m.path('other-host.key')], 2, /The key does not match the certificate/],
        [['--cert', m.path('expired.crt'), '--key', m.path('expired.key')], 2, /The certificate expired on/],
        [['--cert', m.path('future.crt'), '--key', m.path('future.key')], 2, /The certificate is not valid yet/],
        [['--cert', m.path('web.crt'), '--key', m.path('web.key'), '--host', 'shop.example.test'], 2, /does not cover shop\.example\.test: its SANs are DNS:web\.shop\.example\.test/],
        [['--cert', m.path('other-host.crt'), '--key', m.path('other-host.key'), '--app', 'web'], 2, /does not cover web\.shop\.example\.test/],
        [['--cert', m.path('weak.crt'), '--key', m.path('weak.key')], 2, /The key is too weak: RSA 1024/],
        [['--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--ca', m.path('other-root.crt')], 2, /does not verify to the CA/],
        [['--cert', m.path('web.crt'), '--key', m.path('web.key'), '--app', 'nope'], 6, /No app "nope" in namespace/],
        [['--cert', m.path('web.crt'), '--key', m.path('web.key'), '--key-passphrase-env', 'X', '--termination', 'reencrypt'], 2, /The --termination flag says how an app's Route terminates TLS, and no --app is given/],
      ];
      for (const [args, status, message] of cases) {
        const run = cert('add', 'bad-tls', ...args);
        expect([run.status, run.stderr]).toEqual([status, expect.stringMatching(message)]);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }
      expect((await kubectlResult(['get', 'secret', 'bad-tls'], {namespace: ns.name})).code).not.toBe(0);
      expect(await versions()).toEqual(before);
    },
    TIMEOUT,
  );

  test(
    'stores a kubernetes.io/tls Secret with the chain and puts the leaf, intermediates and key on the Route',
    async () => {
      const run = cert('add', 'web-tls', '--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--ca', m.path('root.crt'), '--app', 'web', '--timeout', '60s', '--json');
      expectSuccess(run);
      const {result, warnings} = envelope(run);
      expect(warnings).toEqual([]);
      expect(result).toMatchObject({certificate: 'web-tls', secret: 'created', key: 'EC P-256', summary: {subject: 'CN=web', sans: [HOST]}, apps: [{app: 'web', host: HOST, termination: 'edge', changed: true}]});
      expect(run.stdout).not.toContain('PRIVATE KEY');

      const secret = await get('secret', 'web-tls');
      expect(secret.type).toBe('kubernetes.io/tls');
      expect(decoded(secret, 'tls.crt')).toBe(m.read('web.crt') + m.read('intermediate.crt'));
      expect(decoded(secret, 'tls.key')).toBe(m.read('web.key'));
      expect(decoded(secret, 'ca.crt')).toBe(m.read('root.crt'));

      const route = await get('route', 'web');
      expect(route.spec.host).toBe(HOST);
      expect(route.spec.tls).toEqual({termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect', certificate: pem('web.crt'), caCertificate: pem('intermediate.crt'), key: m.read('web.key')});
    },
    TIMEOUT,
  );

  test(
    'a second identical add writes nothing, and another certificate under the same name is sent to rotate',
    async () => {
      const before = await versions();
      const again = cert('add', 'web-tls', '--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--ca', m.path('root.crt'), '--app', 'web');
      expectSuccess(again);
      expect(again.stdout).toContain('No changes: app web already has certificate web-tls.');
      expect(await versions()).toEqual(before);
      const other = cert('add', 'web-tls', '--cert', m.path('web-next.crt'), '--key', m.path('web-next.key'));
      expect(other.status).toBe(7);
      expect(other.stderr).toMatch(/already exists with another certificate[\s\S]*gshift cert rotate web-tls/);
    },
    TIMEOUT,
  );

  test(
    'the Route keeps the certificate through app deploy and app env set',
    async () => {
      expectSuccess(gshift(ns, ['app', 'deploy', 'web', '--image', 'registry.example.test/web:2', '-n', ns.name, '--timeout', '60s']));
      expectSuccess(gshift(ns, ['app', 'env', 'set', 'web', 'LOG_LEVEL=debug', '-n', ns.name, '--timeout', '60s']));
      const route = await get('route', 'web');
      expect(route.spec.tls).toMatchObject({termination: 'edge', certificate: pem('web.crt'), key: m.read('web.key')});
    },
    TIMEOUT,
  );

  test(
    'takes an encrypted key\'s passphrase from --key-passphrase-env, gives the app without a host --host, reencrypts, and never stores the key encrypted',
    async () => {
      const run = gshift(ns, ['cert', 'add', 'api-tls', '--cert', m.path('api.crt'), '--key', m.path('api-encrypted.key'), '--key-passphrase-env', 'API_KEY_PASS', '--app', 'api', '--host', 'api.shop.example.test', '--termination', 'reencrypt', '--no-wait', '-n', ns.name], {env: {API_KEY_PASS: 's3cret'}});
      expectSuccess(run);
      expect(decoded(await get('secret', 'api-tls'), 'tls.key')).toBe(m.read('api.key'));
      const route = await get('route', 'api');
      expect(route.spec.host).toBe('api.shop.example.test');
      expect(route.spec.tls).toMatchObject({termination: 'reencrypt', certificate: pem('api.crt'), key: m.read('api.key')});
      expect(route.spec.tls.caCertificate).toBeUndefined();
    },
    TIMEOUT,
  );

  test(
    'leaves no Secret behind when the app\'s apply is refused (a Route changed by hand)',
    async () => {
      expectSuccess(gshift(ns, ['app', 'create', 'shop', '--stack', 'nodejs', '--host', HOST, '-n', ns.name, '--timeout', '60s']));
      await ns.kubectl(['patch', 'route', 'shop', '--type', 'merge', '--field-manager', 'kubectl-patch', '-p', JSON.stringify({spec: {tls: {termination: 'passthrough'}}})]);
      const run = cert('add', 'shop-tls', '--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--app', 'shop');
      expect(run.status).toBe(7);
      expect(run.stderr).toMatch(/kubectl-patch/);
      expect((await kubectlResult(['get', 'secret', 'shop-tls'], {namespace: ns.name})).code).not.toBe(0);
      expectSuccess(gshift(ns, ['app', 'delete', 'shop', '-n', ns.name, '--yes']));
    },
    TIMEOUT,
  );

  test(
    'puts a shuffled chain in order and warns about it and about the expiry, on stderr and in --json',
    async () => {
      const run = cert('add', 'short-tls', '--cert', m.path('short-shuffled.pem'), '--key', m.path('short.key'), '--json');
      expectSuccess(run);
      expect(envelope(run).warnings).toEqual([expect.stringMatching(/not in leaf → intermediate order/), expect.stringMatching(/^the certificate expires in 2 days/)]);
      expect(run.stderr).toMatch(/Warning: the certificate expires in 2 days/);
      expect(decoded(await get('secret', 'short-tls'), 'tls.crt')).toBe(m.read('short.crt') + m.read('intermediate.crt'));
      expectSuccess(cert('add', 'long-tls', '--cert', m.path('long.crt'), '--key', m.path('long.key')));
    },
    TIMEOUT,
  );
});

describe('gshift cert list and check', () => {
  test(
    'list shows each certificate with its hosts, issuer, expiry, days left and the apps that use it',
    async () => {
      const run = cert('list', '--json');
      expectSuccess(run);
      const certificates = envelope(run).result.certificates as any[];
      expect(certificates.map((entry) => entry.name)).toEqual(['api-tls', 'long-tls', 'short-tls', 'web-tls']);
      const byName = Object.fromEntries(certificates.map((entry) => [entry.name, entry]));
      expect(byName['web-tls']).toMatchObject({source: 'secret', sans: [HOST], issuer: 'CN=gshift test intermediate', apps: ['web'], daysLeft: 89});
      expect(byName['api-tls']).toMatchObject({apps: ['api'], sans: ['api.shop.example.test']});
      expect(byName['short-tls']).toMatchObject({daysLeft: 2, apps: []});
      expect(byName['long-tls']).toMatchObject({daysLeft: 399});
      expect(byName['web-tls'].renewedBy).toBeUndefined();

      const table = cert('list');
      expectSuccess(table);
      expect(table.stdout).toMatch(/^NAME\s+HOSTS\s+ISSUER\s+NOT AFTER\s+DAYS\s+APPS\s+RENEWED BY\n/);
      expect(table.stdout).toMatch(/short-tls\s+short\.shop\.example\.test\s+CN=gshift test intermediate\s+\d{4}-\d\d-\d\d\s+2\s+-\s+-/);
      expect(table.stdout).not.toMatch(/\u001B\[/);
    },
    TIMEOUT,
  );

  test(
    'check exits 13 naming the 3-day certificate, passes with a smaller --fail-days, warning about it',
    async () => {
      const failing = cert('check', '--json');
      expect(failing.status).toBe(13);
      const {error} = envelope(failing);
      expect(error).toMatchObject({code: 'CERT_EXPIRING', exitCode: 13});
      expect(error.message).toMatch(new RegExp(`^1 certificate expires within 7 days or has expired: short-tls in ${ns.name} \\(2 days left, `));
      expect(error.details.failing.map((entry: any) => entry.name)).toEqual(['short-tls']);

      const human = cert('check');
      expect(human.status).toBe(13);
      expect(human.stderr).toMatch(/^Error: 1 certificate expires within 7 days or has expired: short-tls/m);

      const passing = cert('check', '--fail-days', '1', '--json');
      expect(passing.status === 0 ? 0 : output(passing)).toBe(0);
      expect(envelope(passing).warnings).toEqual([expect.stringMatching(new RegExp(`^certificate short-tls in ${ns.name} \\(2 days left, .*\\) expires within 30 days\\.$`))]);
      expect(envelope(passing).result).toMatchObject({checked: 4, failing: [], warning: [{name: 'short-tls'}]});
    },
    TIMEOUT,
  );
});

describe('gshift cert rotate and remove', () => {
  test(
    'rotate refuses a certificate that drops a host, then replaces the Secret and the Route\'s copy in place',
    async () => {
      const before = await versions();
      const narrower = cert('rotate', 'web-tls', '--cert', m.path('other-host.crt'), '--key', m.path('other-host.key'));
      expect(narrower.status).toBe(2);
      expect(narrower.stderr).toMatch(/The new certificate does not cover web\.shop\.example\.test, which certificate web-tls covers now[\s\S]*--force/);
      expect(await versions()).toEqual(before);

      const run = cert('rotate', 'web-tls', '--cert', m.path('web-next.crt'), '--key', m.path('web-next.key'), '--timeout', '60s', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({secret: 'configured', apps: [{app: 'web', changed: true}]});
      expect(decoded(await get('secret', 'web-tls'), 'tls.crt')).toBe(m.read('web-next.crt'));
      expect((await get('route', 'web')).spec.tls).toMatchObject({certificate: pem('web-next.crt'), key: m.read('web-next.key')});
    },
    TIMEOUT,
  );

  test(
    'remove asks for --yes without a terminal, then takes the certificate off the Route and deletes the Secret',
    async () => {
      const unconfirmed = cert('remove', 'web-tls');
      expect(unconfirmed.status).toBe(2);
      expect(unconfirmed.stderr).toMatch(/this needs confirmation, and there is no terminal to ask on[\s\S]*--yes/);
      expect((await kubectlResult(['get', 'secret', 'web-tls'], {namespace: ns.name})).code).toBe(0);

      const run = cert('remove', 'web-tls', '--yes', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({deleted: ['Secret web-tls'], apps: [{app: 'web', changed: true}]});
      expect((await kubectlResult(['get', 'secret', 'web-tls'], {namespace: ns.name})).code).not.toBe(0);
      expect((await get('route', 'web')).spec.tls).toEqual({termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect'});

      // The app's later renders no longer bring it back.
      expectSuccess(gshift(ns, ['app', 'deploy', 'web', '--image', 'registry.example.test/web:3', '-n', ns.name, '--timeout', '60s']));
      expect((await get('route', 'web')).spec.tls.certificate).toBeUndefined();
      expect(cert('remove', 'web-tls', '--yes').status).toBe(6);
    },
    TIMEOUT,
  );
});
