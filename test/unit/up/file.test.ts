import {describe, expect, it} from '@jest/globals';

import {checkTenantFile, formatProblem} from '../../../src/up/file.ts';

const knownStacks = ['nodejs', 'java', 'postgresql'];
const check = async (text: string) => (await checkTenantFile(text, {file: 'gshift.yaml', knownStacks})).problems.map(formatProblem);

const VALID = `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: shop
spec:
  quota: cpu=4,memory=8Gi
  groups:
    developers: [shop-devs]
  ciAccount: true
  environments:
    - name: dev
    - name: prod
      ha: true
      apps:
        web: {replicas: 3}
  apps:
    - name: web
      stack: nodejs
      databases: [orders]
      autoscaling: {min: 2, max: 5, cpu: 70}
  databases:
    - name: orders
      engine: postgresql
      size: 10Gi
  certificates:
    - name: web-tls
      app: web
      host: shop.apps.example.org
      clusterIssuer: platform-ca
`;

describe('gshift.yaml', () => {
  it('accepts a file with every kind of entry', async () => {
    expect(await check(VALID)).toEqual([]);
  });

  it('reports every problem at once, each with its line and column', async () => {
    const text = `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: Shop
spec:
  environments:
    - name: dev
    - name: dev
  apps:
    - name: web
      stack: rubyonrails
      databases: [orders]
      environments: [staging]
    - name: api
      stack: java
      replicaz: 2
  certificates:
    - name: tls
      app: frontend
      host: x.example.org
      issuer: ca
`;
    expect(await check(text)).toEqual([
      expect.stringMatching(/^gshift\.yaml:4:9: metadata\.name is not a DNS-1123 label/),
      'gshift.yaml:8:13: spec.environments[1].name "dev" is declared twice (also at environments[0])',
      'gshift.yaml:11:14: spec.apps[0].stack there is no stack "rubyonrails" (stacks: nodejs, java, postgresql)',
      'gshift.yaml:12:19: spec.apps[0].databases[0] the database "orders" is not declared under spec.databases',
      'gshift.yaml:13:22: spec.apps[0].environments[0] the tenant has no environment "staging" (environments: dev)',
      expect.stringMatching(/^gshift\.yaml:16:7: spec\.apps\[1\]\.replicaz "replicaz" is not a field here \(fields: name, stack, /),
      'gshift.yaml:19:12: spec.certificates[0].app the app "frontend" is not declared under spec.apps',
    ]);
  });

  it('names an override of an app that is not declared, and a wrong type', async () => {
    const text = VALID.replace('web: {replicas: 3}', 'worker: {replicas: 3}').replace('ciAccount: true', 'ciAccount: "yes"');
    expect(await check(text)).toEqual([
      'gshift.yaml:9:14: spec.ciAccount must be a boolean, not string',
      'gshift.yaml:15:9: spec.environments[1].apps.worker overrides the app "worker", which spec.apps does not declare',
    ]);
  });

  it('reports YAML syntax errors with their position', async () => {
    const [problem] = await check('apiVersion: gshift.io/v1alpha1\nkind: [Tenant\n');
    expect(problem).toMatch(/^gshift\.yaml:\d+:\d+: /);
  });
});
