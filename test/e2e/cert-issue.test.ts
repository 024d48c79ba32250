// `gshift cert issue` against a real cert-manager controller (test/cluster/cert-manager.ts) with a
// self-signed → CA ClusterIssuer chain: a real CertificateRequest, a certificate signed by the
// test CA in the Secret, copied onto the app's Route; why an issuance does not complete; remove.
import {beforeAll, describe, expect, test} from '@jest/globals';
import {X509Certificate} from 'node:crypto';

import {makeMaterial, type Material} from '../support/cert-material.ts';
import {envelope, gshift, output, type CliResult} from './app-cli.ts';
import {useCertManager} from './support/cert-manager.ts';
import {kubectl, kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 180_000;
const HOST = 'web.issue.example.test';
let ns: TestNamespace;
let ca: {issuer: string; caCertificate: string};
let m: Material;
const cert = (...args: string[]) => gshift(ns, ['cert', ...args, '-n', ns.name]);
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const get = (kind: string, name: string) => kubectlJson(['get', kind, name], {namespace: ns.name});
const decoded = (secret: any, key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');
const versions = async () => {
  const list = await kubectlJson<{items: any[]}>(['get', 'secrets,routes,configmaps,deployments,certificates.cert-manager.io,certificaterequests.cert-manager.io'], {namespace: ns.name});
  return Object.fromEntries(list.items.map((item) => [`${item.kind}/${item.metadata.name}`, item.metadata.resourceVersion]));
};

beforeAll(async () => {
  ca = await useCertManager();
  m = makeMaterial('gshift-cert-issue-e2e-');
  m.leaf('web', {sans: `DNS:${HOST}`});
  ns = await newNamespace('cert-issue');
  expectSuccess(gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '-n', ns.name, '--timeout', '60s']));
}, TIMEOUT);

describe('gshift cert issue', () => {
  test(
    'asks which issuer, listing the ones there are, and names an issuer that does not exist',
    async () => {
      const none = cert('issue', 'web-tls', '--app', 'web', '--host', HOST);
      expect(none.status).toBe(2);
      expect(none.stderr).toMatch(new RegExp(`Which issuer should sign the certificate\\?[\\s\\S]*--cluster-issuer ${ca.issuer}`));
      const unknown = cert('issue', 'web-tls', '--app', 'web', '--host', HOST, '--issuer', 'nope');
      expect(unknown.status).toBe(6);
      expect(unknown.stderr).toMatch(/No Issuer "nope" in namespace/);
      expect((await kubectlResult(['get', 'certificates.cert-manager.io', 'web-tls'], {namespace: ns.name})).code).not.toBe(0);
    },
    TIMEOUT,
  );

  test(
    'with --wait, the Certificate becomes Ready with a certificate signed by the test CA, and the Route carries it',
    async () => {
      const run = cert('issue', 'web-tls', '--app', 'web', '--host', HOST, '--cluster-issuer', ca.issuer, '--wait', '--timeout', '120s', '--json');
      expectSuccess(run);
      const result = envelope(run).result;
      expect(result).toMatchObject({certificate: 'web-tls', ready: true, action: 'created', issuer: {kind: 'ClusterIssuer', name: ca.issuer}, summary: {sans: [HOST], issuer: 'CN=gshift test CA'}});

      const certificate = await get('certificates.cert-manager.io', 'web-tls');
      expect(certificate.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({type: 'Ready', status: 'True'})]));
      const requests = await kubectlJson<{items: any[]}>(['get', 'certificaterequests.cert-manager.io'], {namespace: ns.name});
      expect(requests.items.map((request) => request.metadata.annotations['cert-manager.io/certificate-name'])).toContain('web-tls');

      const secret = await get('secret', 'web-tls');
      const leaf = new X509Certificate(decoded(secret, 'tls.crt'));
      expect(leaf.verify(new X509Certificate(ca.caCertificate).publicKey)).toBe(true);
      expect(leaf.checkHost(HOST)).toBe(HOST);
      expect(decoded(secret, 'tls.key')).toMatch(/^-----BEGIN PRIVATE KEY-----/);

      const route = await get('route', 'web');
      expect(route.spec.host).toBe(HOST);
      expect(route.spec.tls).toMatchObject({termination: 'edge', certificate: leaf.toString(), key: decoded(secret, 'tls.key')});
    },
    TIMEOUT,
  );

  test(
    'list shows it renewed by cert-manager and used by the app; a second issue writes nothing; rotate leaves it to cert-manager',
    async () => {
      const list = cert('list', '--json');
      expectSuccess(list);
      expect(envelope(list).result.certificates).toEqual([expect.objectContaining({name: 'web-tls', source: 'secret', apps: ['web'], renewedBy: 'web-tls', status: 'True', issuer: 'CN=gshift test CA'})]);

      const before = await versions();
      const again = cert('issue', 'web-tls', '--app', 'web', '--host', HOST, '--cluster-issuer', ca.issuer, '--wait');
      expectSuccess(again);
      expect(again.stdout).toContain('No changes: app web already has certificate web-tls.');
      expect(await versions()).toEqual(before);

      const rotate = cert('rotate', 'web-tls', '--cert', m.path('web.crt'), '--key', m.path('web.key'));
      expect(rotate.status).toBe(7);
      expect(rotate.stderr).toMatch(/Certificate web-tls is issued and renewed by cert-manager \(Certificate web-tls\), not replaced by hand/);
      expect(await versions()).toEqual(before);
    },
    TIMEOUT,
  );

  test(
    'an issuance that cannot complete times out with the CertificateRequest\'s reason',
    async () => {
      await kubectl(['apply', '-f', '-'], {namespace: ns.name, input: JSON.stringify({apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: {name: 'broken-ca'}, spec: {ca: {secretName: 'no-such-secret'}}})});
      expectSuccess(gshift(ns, ['app', 'create', 'api', '--stack', 'nodejs', '-n', ns.name, '--no-wait']));
      const run = cert('issue', 'api-tls', '--app', 'api', '--host', 'api.issue.example.test', '--issuer', 'broken-ca', '--wait', '--timeout', '20s', '--json');
      expect(run.status).toBe(9);
      const {error} = envelope(run);
      expect(error.code).toBe('TIMED_OUT');
      expect(error.message).toMatch(/^Timed out after 20s waiting for cert-manager to issue certificate api-tls: .*CertificateRequest api-tls-\w+: Pending — Referenced issuer does not have a Ready status condition\.$/);
      expect((await get('route', 'api')).spec.tls.certificate).toBeUndefined();
    },
    TIMEOUT,
  );

  test(
    'remove deletes the Certificate and its Secret and takes the certificate off the Route',
    async () => {
      const run = cert('remove', 'web-tls', '--yes', '--json');
      expectSuccess(run);
      expect(envelope(run).result.deleted).toEqual(['Certificate web-tls', 'Secret web-tls']);
      expect((await kubectlResult(['get', 'certificates.cert-manager.io', 'web-tls'], {namespace: ns.name})).code).not.toBe(0);
      expect((await kubectlResult(['get', 'secret', 'web-tls'], {namespace: ns.name})).code).not.toBe(0);
      expect((await get('route', 'web')).spec.tls).toEqual({termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect'});
    },
    TIMEOUT,
  );
});
