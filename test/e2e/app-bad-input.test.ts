// Bad input to `gshift app create`: each a clear error naming the rule, the missing thing or
// the missing permission, and nothing changed on the cluster.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterEach, beforeAll, describe, expect, test} from '@jest/globals';

import {gshift, objectsIn, output} from './app-cli.ts';
import {kubectlJson, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 60_000;
let ns: TestNamespace;

beforeAll(async () => {
  ns = await newNamespace('app-bad-input');
}, TIMEOUT);

afterEach(async () => {
  expect(await objectsIn(ns)).toEqual([]);
});

const create = (...args: string[]) => gshift(ns, ['app', 'create', ...args, '-n', ns.name]);

describe('app create refuses bad input before changing anything', () => {
  test('a name that is not a DNS label, saying which rule it breaks', () => {
    const upper = create('Web', '--stack', 'nodejs');
    expect(upper.status).toBe(2);
    expect(upper.stderr).toMatch(/"Web" is not a valid app name: it has the upper-case letter "W"/);
    const underscore = create('my_app', '--stack', 'nodejs');
    expect(underscore.stderr).toMatch(/it has the character "_"/);
    const long = create('a'.repeat(64), '--stack', 'nodejs');
    expect(long.stderr).toMatch(/it has 64 characters and the limit is 63/);
  });

  test('an unknown stack, listing the known ones', () => {
    const run = create('web', '--stack', 'rails');
    expect(run.status).toBe(6);
    expect(run.stderr).toMatch(/There is no stack named "rails"/);
    expect(run.stderr).toMatch(/nodejs/);
    expect(run.stderr).toMatch(/python/);
  });

  test('bad --env-var syntax', () => {
    const missing = create('web', '--stack', 'nodejs', '--env-var', 'LOG_LEVEL');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--env-var "LOG_LEVEL" is not KEY=VALUE/);
    const badName = create('web', '--stack', 'nodejs', '--env-var', '1X=2');
    expect(badName.stderr).toMatch(/--env-var 1X is not a valid variable name/);
  });

  test('an image reference that does not parse', () => {
    const run = create('web', '--stack', 'nodejs', '--image', 'quay.io/Acme/web:1.0');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/"quay.io\/Acme\/web:1.0" is not a valid image reference: the path part "Acme" must be lower-case/);
  });

  test(
    'a namespace that does not exist, suggesting gshift tenant create',
    () => {
      const byTenant = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--tenant', 'nosuchteam', '--env', 'dev']);
      expect(byTenant.status).toBe(6);
      expect(byTenant.stderr).toMatch(/The namespace "nosuchteam-dev" does not exist/);
      expect(byTenant.stderr).toMatch(/gshift tenant create nosuchteam --envs dev/);
    },
    TIMEOUT,
  );
});

/** A kubeconfig for a service account of the namespace: the admin's cluster, the account's token. */
async function kubeconfigFor(account: string): Promise<string> {
  const token = (await ns.kubectl(['create', 'token', account])).trim();
  const admin = await kubectlJson(['config', 'view', '--raw', '--minify']);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: admin.clusters,
    users: [{name: account, user: {token}}],
    contexts: [{name: account, context: {cluster: admin.clusters[0].name, user: account, namespace: ns.name}}],
    'current-context': account,
  };
  const file = join(mkdtempSync(join(tmpdir(), `gshift-${account}-`)), 'kubeconfig');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('app create refused half-way', () => {
  test(
    'a new app: what was written before the refusal is deleted again, and no pod ever starts',
    async () => {
      // May write everything an app has but its Deployment.
      await ns.kubectl(['create', 'serviceaccount', 'no-workloads']);
      await ns.kubectl(['create', 'role', 'no-workloads', '--verb=get,list,watch,create,patch,update,delete', '--resource=configmaps,services,routes.route.openshift.io']);
      await ns.kubectl(['create', 'rolebinding', 'no-workloads', '--role=no-workloads', `--serviceaccount=${ns.name}:no-workloads`]);
      await ns.kubectl(['create', 'rolebinding', 'no-workloads-view', '--clusterrole=view', `--serviceaccount=${ns.name}:no-workloads`]);
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs'], {kubeconfig: await kubeconfigFor('no-workloads')});
      expect(run.status).toBe(5);
      expect(run.stderr).toMatch(/may not patch deployments/);
      expect(run.stderr).not.toMatch(/applied/);
      // afterEach: the parent, Service and Route are gone again.
      expect(await kubectlJson(['get', 'events', '--field-selector', 'reason=SuccessfulCreate'], {namespace: ns.name})).toMatchObject({items: []});
    },
    TIMEOUT,
  );
});

describe('app create without permission', () => {
  let kubeconfig: string;

  beforeAll(async () => {
    // A user who may read the namespace (the built-in "view" role) but not write to it.
    await ns.kubectl(['create', 'serviceaccount', 'reader']);
    await ns.kubectl(['create', 'rolebinding', 'reader', '--clusterrole=view', `--serviceaccount=${ns.name}:reader`]);
    const token = (await ns.kubectl(['create', 'token', 'reader'])).trim();
    const admin = await kubectlJson(['config', 'view', '--raw', '--minify']);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: admin.clusters,
      users: [{name: 'reader', user: {token}}],
      contexts: [{name: 'reader', context: {cluster: admin.clusters[0].name, user: 'reader', namespace: ns.name}}],
      'current-context': 'reader',
    };
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'gshift-reader-')), 'kubeconfig');
    writeFileSync(kubeconfig, JSON.stringify(config));
  }, TIMEOUT);

  test(
    'says which verb on which resource is missing, and writes nothing',
    () => {
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs'], {kubeconfig});
      expect(run.status).toBe(5);
      expect(run.stderr).toMatch(new RegExp(`You \\(system:serviceaccount:${ns.name}:reader\\) may not patch configmaps in namespace "${ns.name}"`));
      expect(output(run)).not.toMatch(/Created app/);
    },
    TIMEOUT,
  );
});
