// `gshift cert` on plain Kubernetes (the test cluster's `kubernetes` flavour: no Route API): the
// certificate goes on the app's Ingress as a tls entry naming the Secret, later renders keep it,
// reencrypt is refused, and remove takes it off again.
import {beforeAll, describe, expect, test} from '@jest/globals';
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
const ingress = () => kubectlJson(['get', 'ingresses.v1.networking.k8s.io', 'web'], {namespace: ns.name, flavour: 'kubernetes'});

beforeAll(async () => {
  m = makeMaterial('gshift-cert-kube-e2e-');
  m.leaf('web', {sans: `DNS:*.shop.example.test`});
  writeFileSync(m.path('web-chain.pem'), m.read('web.crt') + m.read('intermediate.crt'));
  ns = await newNamespace('cert-kube', {flavour: 'kubernetes'});
  expectSuccess(gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--host', HOST, '-n', ns.name, '--timeout', '60s']));
}, TIMEOUT);

describe('gshift cert on plain Kubernetes', () => {
  test(
    'refuses reencrypt, which an Ingress cannot do, and writes nothing',
    async () => {
      const run = cert('add', 'web-tls', '--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--app', 'web', '--termination', 'reencrypt');
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/Reencrypt termination is for OpenShift Routes; a Kubernetes Ingress terminates TLS at the edge/);
      expect((await kubectlResult(['get', 'secret', 'web-tls'], {namespace: ns.name, flavour: 'kubernetes'})).code).not.toBe(0);
      expect((await ingress()).spec.tls).toBeUndefined();
    },
    TIMEOUT,
  );

  test(
    'a wildcard certificate goes on the Ingress as tls for the app\'s host, by Secret name, and stays through app deploy',
    async () => {
      const run = cert('add', 'web-tls', '--cert', m.path('web-chain.pem'), '--key', m.path('web.key'), '--ca', m.path('root.crt'), '--app', 'web', '--timeout', '60s', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({secret: 'created', apps: [{app: 'web', host: HOST, changed: true}]});
      expect((await ingress()).spec.tls).toEqual([{hosts: [HOST], secretName: 'web-tls'}]);
      const secret = await kubectlJson(['get', 'secret', 'web-tls'], {namespace: ns.name, flavour: 'kubernetes'});
      expect(secret.type).toBe('kubernetes.io/tls');

      expectSuccess(gshift(ns, ['app', 'deploy', 'web', '--image', 'registry.example.test/web:2', '-n', ns.name, '--timeout', '60s']));
      expect((await ingress()).spec.tls).toEqual([{hosts: [HOST], secretName: 'web-tls'}]);

      const list = cert('list', '--json');
      expectSuccess(list);
      expect(envelope(list).result.certificates).toEqual([expect.objectContaining({name: 'web-tls', apps: ['web'], sans: ['*.shop.example.test']})]);
    },
    TIMEOUT,
  );

  test(
    'remove takes the tls section off the Ingress and deletes the Secret',
    async () => {
      expectSuccess(cert('remove', 'web-tls', '--yes'));
      expect((await ingress()).spec.tls).toBeUndefined();
      expect((await kubectlResult(['get', 'secret', 'web-tls'], {namespace: ns.name, flavour: 'kubernetes'})).code).not.toBe(0);
    },
    TIMEOUT,
  );
});
