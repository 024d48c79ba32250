import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {checkTenantFile, formatProblem} from '../../../src/up/file.ts';
import {platformChecks} from '../../../src/up/platform-checks.ts';
import {listStackEntries} from '../../../src/render/catalogue.ts';
import {makeMaterial} from '../../support/cert-material.ts';

const knownStacks = listStackEntries([]).map((entry) => entry.name);
const material = makeMaterial('gshift-up-checks-');
material.leaf('web', {sans: 'DNS:web.shop.example.test'});
material.leaf('other', {sans: 'DNS:shop.other.test'});
const check = async (text: string, path = 'gshift.yaml') =>
  (await checkTenantFile(text, {file: 'gshift.yaml', knownStacks, more: (file, accepted) => platformChecks(file, DEFAULT_CONFIG, accepted, {path})})).problems.map(formatProblem);

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

  it('refuses a database stack among the apps, at its line, pointing to databases: with its engine', async () => {
    const text = `${header}  environments:
    - name: dev
  apps:
    - name: web
      stack: nodejs
      databases: [orders]
    - name: orders
      stack: postgresql
      storage: 10Gi
    - name: cache
      stack: redis
`;
    expect(await check(text)).toEqual([
      'gshift.yaml:11:19: spec.apps[0].databases[0] the database "orders" is not declared under spec.databases',
      'gshift.yaml:13:14: spec.apps[1].stack "postgresql" is a database stack: declare orders under databases: with engine: postgresql (as gshift db create makes it), and attach it to the apps that use it with their databases:',
      'gshift.yaml:16:14: spec.apps[2].stack "redis" is a database stack: declare cache under databases: with engine: redis (as gshift db create makes it), and attach it to the apps that use it with their databases:',
    ]);
  });

  it("refuses a team's own database stack that no engine runs, naming the engines", async () => {
    const stacks = mkdtempSync(join(tmpdir(), 'gshift-up-team-db-'));
    mkdirSync(join(stacks, 'mongodb'));
    writeFileSync(join(stacks, 'mongodb', 'stack.yaml'), 'name: mongodb\nkind: db\ndescription: MongoDB.\n');
    writeFileSync(join(stacks, 'mongodb', 'template.yaml'), 'apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: mongodb}\nobjects: []\n');
    const text = `${header}  environments:
    - name: dev
  apps:
    - name: docs
      stack: mongodb
`;
    const config = {...DEFAULT_CONFIG, templateDirs: [stacks]};
    const known = listStackEntries([stacks]).map((entry) => entry.name);
    const {problems} = await checkTenantFile(text, {file: 'gshift.yaml', knownStacks: known, more: (file, accepted) => platformChecks(file, config, accepted)});
    expect(problems.map(formatProblem)).toEqual([
      'gshift.yaml:10:14: spec.apps[0].stack "mongodb" is a database stack, and databases are declared under databases: with an engine (postgresql, mariadb, mysql, redis); apps take app stacks',
    ]);
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

  it('accepts autoscaling bounds, a database\'s high availability and backups, certificates from an issuer and from files', async () => {
    const text = `${header}  environments:
    - name: dev
    - name: prod
      apps:
        web: {autoscaling: {min: 3, max: 8, memory: 80}}
      databases:
        orders: {ha: true, backup: {schedule: "@daily", keep: 14}}
  apps:
    - name: web
      stack: nodejs
      host: web.shop.example.test
      autoscaling: {min: 1, max: 3}
    - name: api
      stack: java
  databases:
    - name: orders
      engine: postgresql
      backup: {schedule: "0 2 * * 1-5"}
  certificates:
    - name: web-tls
      app: web
      files: {cert: web.crt, key: web.key}
    - name: api-tls
      app: api
      host: api.shop.example.test
      clusterIssuer: platform-ca
`;
    expect(await check(text, material.path('gshift.yaml'))).toEqual([]);
  });

  it('reports what db create, gshift scale and cert add would refuse, each at its line', async () => {
    const text = `${header}  environments:
    - name: dev
    - name: prod
      apps:
        web: {autoscaling: {min: 1, max: 4}}
      databases:
        cache: {ha: true}
  apps:
    - name: web
      stack: java
      host: web.shop.example.test
    - name: api
      stack: nodejs
      environments: [dev]
  databases:
    - name: cache
      engine: redis
      backup: {schedule: "0 25 * * *"}
  certificates:
    - name: web-tls
      app: web
      files: {cert: other.crt, key: other.key}
    - name: web-too
      app: web
      clusterIssuer: ca
    - name: api-tls
      app: api
      environments: [dev, prod]
      clusterIssuer: ca
    - name: lost
      app: web
      environments: []
      files: {cert: missing.crt, key: web.key}
`;
    expect(await check(text, material.path('gshift.yaml'))).toEqual([
      'gshift.yaml:10:9: spec.environments[1].apps.web in prod: prod is a high-availability environment, so java apps run at least 2 replicas: min 1 is too low',
      expect.stringMatching(/^gshift\.yaml:12:21: spec\.environments\[1\]\.databases\.cache\.ha ha is for postgresql only: gshift runs redis as one server/),
      expect.stringMatching(/^gshift\.yaml:23:26: spec\.databases\[0\]\.backup\.schedule schedule "0 25 \* \* \*": "25" is not a valid hour/),
      expect.stringMatching(/^gshift\.yaml:27:14: spec\.certificates\[0\]\.files The certificate does not cover web\.shop\.example\.test: its SANs are DNS:shop\.other\.test/),
      'gshift.yaml:29:12: spec.certificates[1].app app "web" has certificate "web-tls" already: an app has one certificate in an environment (give them environments)',
      'gshift.yaml:31:7: spec.certificates[2] in dev: needs a host: app "api" has none; give the app or the certificate one',
      'gshift.yaml:33:27: spec.certificates[2].environments[1] the app "api" does not run in prod (see its environments)',
      expect.stringMatching(/^gshift\.yaml:38:14: spec\.certificates\[3\]\.files The cert file \S+missing\.crt cannot be read/),
    ]);
  });
});
