// gshift on plain Kubernetes (the test cluster's `kubernetes` flavour: no Route API): the platform
// is detected, an app is exposed through an Ingress, and `app list` shows the Ingress's URL.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

// The first test file to ask for the flavour starts its cluster (~8s).
const TIMEOUT = 120_000;
let ns: TestNamespace;
const run = (...args: string[]) => gshift(ns, [...args, '-n', ns.name]);

beforeAll(async () => {
  ns = await newNamespace('app-kubernetes', {flavour: 'kubernetes'});
}, TIMEOUT);

describe('gshift on plain Kubernetes', () => {
  test('status detects the platform as kubernetes, as no Route API is served', async () => {
    expect((await kubectlResult(['api-resources', '--api-group=route.openshift.io', '-o', 'name'], {flavour: 'kubernetes'})).stdout.trim()).toBe('');
    const status = run('status', '--json');
    expect(status.status).toBe(0);
    expect(envelope(status).result).toMatchObject({platform: 'kubernetes', platformSource: 'detected', namespace: ns.name});
  });

  test(
    'app create exposes the app through an Ingress with the host, and no Route',
    async () => {
      const create = run('app', 'create', 'web', '--stack', 'nodejs', '--host', 'web.example.test', '--json');
      expect(create.status === 0 ? 0 : output(create)).toBe(0);
      const result = envelope(create).result;
      expect(result.outcomes.map((outcome: any) => `${outcome.ref.apiVersion}/${outcome.ref.kind}/${outcome.action}`)).toEqual([
        'v1/Service/created',
        'apps/v1/Deployment/created',
        'networking.k8s.io/v1/Ingress/created',
      ]);
      expect(result.rollout[0].progress).toMatchObject({desired: 1, available: 1});

      const ingress = await kubectlJson(['get', 'ingresses.v1.networking.k8s.io', 'web'], {namespace: ns.name, flavour: 'kubernetes'});
      expect(ingress.spec.rules).toEqual([
        {host: 'web.example.test', http: {paths: [{path: '/', pathType: 'Prefix', backend: {service: {name: 'web', port: {name: 'http'}}}}]}},
      ]);
      // The app's record lists every kind it has: an Ingress, no Route.
      const parent = await kubectlJson(['get', 'configmap', 'gshift-app-web'], {namespace: ns.name, flavour: 'kubernetes'});
      expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('Deployment.apps,Ingress.networking.k8s.io,Service');
    },
    TIMEOUT,
  );

  test('app list shows the URL from the Ingress', () => {
    const list = run('app', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^web\s+nodejs\s+\S+\s+1\/1\s+\S+\s+http:\/\/web\.example\.test$/m);
    expect(envelope(run('app', 'list', '--json')).result.apps).toEqual([expect.objectContaining({name: 'web', url: 'http://web.example.test'})]);
  });

  test('app create run again changes nothing, Ingress included', () => {
    const again = run('app', 'create', 'web', '--stack', 'nodejs', '--host', 'web.example.test');
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe('No changes: app web is up to date.');
  });
});
