// -o on every list and status command, as kubectl users expect (json and yaml print the same
// result --json wraps; wide adds columns), and `app list -A`: a tenant's apps across its
// environments, on the real cluster.
import {randomBytes} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {TEST_KUBECONFIG, kubectlResult} from './support/index.ts';

const TIMEOUT = 120_000;
const tenant = `outputs-${randomBytes(3).toString('hex')}`;
const cluster = {kubeconfig: TEST_KUBECONFIG};
const run = (...args: string[]) => gshift(cluster, args);
const ok = (...args: string[]) => {
  const result = run(...args);
  if (result.status !== 0) throw new Error(`gshift ${args.join(' ')} failed: ${output(result)}`);
  return result;
};
/** The header row of a table. */
const columns = (stdout: string) => stdout.split('\n')[0]!.trim().split(/\s{2,}/);

beforeAll(() => {
  ok('tenant', 'create', tenant, '--envs', 'dev,test', '--developers', `${tenant}-devs`);
  ok('app', 'create', 'web', '--stack', 'nodejs', '--tenant', tenant, '--env', 'dev');
  ok('app', 'create', 'api', '--stack', 'python', '--tenant', tenant, '--env', 'test', '--no-wait');
  ok('app', 'env', 'set', 'web', 'LOG_LEVEL=debug', '--tenant', tenant, '--env', 'dev');
}, 4 * TIMEOUT);

afterAll(async () => {
  for (const env of ['dev', 'test']) await kubectlResult(['delete', 'namespace', `${tenant}-${env}`, '--wait=false', '--ignore-not-found']);
});

describe('app list -A', () => {
  test("lists the tenant's apps in each of its environments, environment first", () => {
    const table = ok('app', 'list', '-A', '--tenant', tenant).stdout;
    expect(columns(table)).toEqual(['ENV', 'NAME', 'STACK', 'IMAGE', 'READY', 'AGE', 'URL']);
    expect(table.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual(['dev web nodejs', 'test api python']);
    const {result} = envelope(ok('app', 'list', '--all-envs', '--tenant', tenant, '--json'));
    expect(result).toMatchObject({tenant, environments: [{env: 'dev', namespace: `${tenant}-dev`, apps: [{name: 'web'}]}, {env: 'test', namespace: `${tenant}-test`, apps: [{name: 'api'}]}]});
  }, TIMEOUT);

  test('takes the tenant from the namespace, and needs one', () => {
    expect(envelope(ok('app', 'list', '-A', '-n', `${tenant}-test`, '--json')).result.environments).toHaveLength(2);
    const none = run('app', 'list', '-A', '-n', 'default');
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^Error: -A lists the apps of a tenant in all of its environments, and no tenant is known here\./);
  }, TIMEOUT);
});

describe('-o json, yaml and wide', () => {
  const dev = ['--tenant', tenant, '--env', 'dev'];
  test.each([
    ['app list', ['app', 'list', ...dev]],
    ['app status', ['app', 'status', 'web', ...dev]],
    ['app env', ['app', 'env', 'web', ...dev]],
    ['tenant list', ['tenant', 'list']],
    ['tenant show', ['tenant', 'show', tenant]],
    ['status', ['status', ...dev]],
  ])('%s -o json prints the result that --json wraps, -o yaml the same as YAML', (_, args) => {
    const wrapped = envelope(ok(...args, '--json')).result;
    const plain = JSON.parse(ok(...args, '-o', 'json').stdout);
    // Ages and live counts may move between runs; the shape and names do not.
    expect(Object.keys(plain).sort()).toEqual(Object.keys(wrapped).sort());
    const yaml = ok(...args, '-o', 'yaml').stdout;
    expect(yaml).not.toMatch(/^\{/);
    for (const key of Object.keys(wrapped).filter((key) => !Array.isArray(wrapped))) expect(yaml).toMatch(new RegExp(`^(- )?${key}:`, 'm'));
  }, TIMEOUT);

  test('wide adds columns: namespace and creation time for apps, node and IP for pods, the source of each variable, a row per environment for tenants', () => {
    expect(columns(ok('app', 'list', ...dev, '-o', 'wide').stdout)).toEqual(['NAME', 'STACK', 'IMAGE', 'READY', 'AGE', 'URL', 'NAMESPACE', 'CREATED']);
    // The test cluster serves the metrics API: CPU and memory come before the wide columns.
    expect(ok('app', 'status', 'web', ...dev, '-o', 'wide').stdout).toMatch(/^Pods:\n\s+NAME\s+STATUS\s+READY\s+RESTARTS\s+AGE\s+CPU\s+CPU\/REQ\s+MEMORY\s+MEM\/REQ\s+NODE\s+IP\n\s+web-\S+\s+Running\s+1\/1\s+0\s+(?:\S+\s+){5}\S+\s+127\.\d+\.\d+\.\d+$/m);
    expect(ok('app', 'env', 'web', ...dev, '-o', 'wide').stdout).toMatch(/^LOG_LEVEL\s+debug\s+plain\s+ConfigMap web-env$/m);
    const tenants = ok('tenant', 'list', '-o', 'wide').stdout;
    expect(columns(tenants)).toEqual(['TENANT', 'ENV', 'NAMESPACE', 'PHASE', 'CPU', 'MEMORY', 'STORAGE', 'PODS']);
    expect(tenants).toMatch(new RegExp(`^${tenant}\\s+dev\\s+${tenant}-dev\\s+Active`, 'm'));
  }, TIMEOUT);
});
