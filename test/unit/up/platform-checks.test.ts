import {describe, expect, it} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {checkTenantFile, formatProblem} from '../../../src/up/file.ts';
import {platformChecks} from '../../../src/up/platform-checks.ts';
import {listStackEntries} from '../../../src/render/catalogue.ts';

const knownStacks = listStackEntries([]).map((entry) => entry.name);
const check = async (text: string) =>
  (await checkTenantFile(text, {file: 'gshift.yaml', knownStacks, more: (file, accepted) => platformChecks(file, DEFAULT_CONFIG, accepted)})).problems.map(formatProblem);

const header = `apiVersion: gshift.io/v1alpha1
kind: Tenant
metadata:
  name: shop
spec:
`;

describe('what only the platform can say about gshift.yaml', () => {
  it('accepts a file with every kind of entry this gshift runs', async () => {
    const text = `${header}  quota: cpu=4,memory=8Gi
  groups: {developers: [shop-devs]}
  ciAccount: true
  environments:
    - name: dev
    - name: test
    - name: acc
    - name: prod
      quota: cpu=8
      apps:
        web: {replicas: 3, env: {LOG_LEVEL: warn}}
  apps:
    - name: web
      stack: nodejs
      image: quay.io/shop/web:1.4
      env: {LOG_LEVEL: info}
      secretEnv: {API_TOKEN: {secret: web-api, key: token}}
      host: shop.apps.example.org
      databases: [orders]
    - name: api
      stack: java
      storage: 1Gi
      environments: [dev, test]
      databases: [orders, {name: cache, prefix: CACHE}]
  databases:
    - name: orders
      engine: postgresql
      version: "15"
      size: 10Gi
    - name: cache
      engine: redis
      environments: [dev, test]
`;
    expect(await check(text)).toEqual([]);
  });

  it('reports every problem at once, each at the entry or override that causes it', async () => {
    const text = `${header}  quota: cpu=lots
  environments:
    - name: dev
    - name: staging
    - name: prod
      apps:
        web: {replicas: 1}
  apps:
    - name: web
      stack: nodejs
      env: {1BAD: x}
    - name: 2nd
      stack: nginx
      host: not_a_host
  databases:
    - name: orders
      engine: postgresql
      version: "9"
`;
    expect(await check(text)).toEqual([
      'gshift.yaml:6:10: spec.quota "lots" in quota cpu is not a quantity',
      expect.stringMatching(/^gshift\.yaml:9:13: spec\.environments\[1\]\.name "staging" is not one of this platform's environments \(dev, test, acc, prod\)/),
      'gshift.yaml:16:13: spec.apps[0].env.1BAD "1BAD" is not a valid variable name: it must start with a letter or "_" and hold only letters, digits, "_", "." and "-"',
      'gshift.yaml:17:13: spec.apps[1].name "2nd" is not a valid app name: it must start with a letter',
      'gshift.yaml:19:13: spec.apps[1].host "not_a_host" is not a valid host name',
      'gshift.yaml:23:16: spec.databases[0].version postgresql has no version "9" in gshift\'s catalogue',
    ]);
  });

  it('renders each app in each environment: fewer than 2 replicas where high availability is enforced is refused there', async () => {
    const text = `${header}  environments:
    - name: dev
    - name: prod
      apps:
        web: {replicas: 1}
  apps:
    - name: web
      stack: java
`;
    expect(await check(text)).toEqual(['gshift.yaml:10:9: spec.environments[1].apps.web in prod: prod is a high-availability environment, so java apps run at least 2 replicas']);
  });

  it('refuses a database attached where it does not run, and two databases under one prefix', async () => {
    const text = `${header}  environments:
    - name: dev
    - name: test
  apps:
    - name: web
      stack: nodejs
      databases: [orders, {name: cache, prefix: ORDERS}]
  databases:
    - name: orders
      engine: postgresql
      environments: [dev]
    - name: cache
      engine: redis
`;
    expect(await check(text)).toEqual([
      'gshift.yaml:12:19: spec.apps[0].databases[0] the database "orders" does not run in test, where the app does (see its environments)',
      'gshift.yaml:12:27: spec.apps[0].databases[1] the variables of "cache" would have the prefix ORDERS, as those of "orders": give one of them {name, prefix}',
    ]);
  });

  it('names what this gshift cannot do yet: certificates, autoscaling bounds, database HA and backups', async () => {
    const text = `${header}  environments:
    - name: dev
  apps:
    - name: web
      stack: nodejs
      autoscaling: {min: 2, max: 4}
  databases:
    - name: orders
      engine: postgresql
      ha: true
      backup: {schedule: "0 2 * * *"}
  certificates:
    - name: web-tls
      app: web
      host: shop.example.org
      clusterIssuer: ca
`;
    const problems = await check(text);
    expect(problems).toHaveLength(4);
    for (const problem of problems) expect(problem).toMatch(/not supported yet by this gshift/);
  });
});
