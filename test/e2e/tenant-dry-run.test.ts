// tenant create and tenant update with --dry-run (the manifests, no cluster) and
// --dry-run=server (the cluster checks everything, nothing is saved), on the real test cluster.
import {afterAll, expect, test} from '@jest/globals';

import {envelope, gshiftIn, newTenant, output} from './up-cli.ts';
import {kubectlJson, kubectlResult} from './support/index.ts';

const tenant = newTenant('dry');
afterAll(() => tenant.cleanup(), 60_000);
const T = tenant.name;

test('tenant create --dry-run prints the manifests and --dry-run=server checks them; neither creates anything', async () => {
  const client = gshiftIn(tenant.dir, ['tenant', 'create', T, '--envs', 'dev', '--dry-run', '--kubeconfig', '/nonexistent']);
  expect(client.status === 0 ? 0 : output(client)).toBe(0);
  expect(client.stdout).toMatch(/kind: List\n/);
  expect(client.stdout).toContain(`name: ${T}-dev`);
  expect(client.stdout).toContain('kind: ResourceQuota');

  const server = gshiftIn(tenant.dir, ['tenant', 'create', T, '--envs', 'dev,prod', '--dry-run=server', '--json']);
  expect(server.status === 0 ? 0 : output(server)).toBe(0);
  expect(envelope(server).result).toMatchObject({dryRun: 'server', changed: true});
  expect((await kubectlResult(['get', 'namespace', `${T}-dev`])).code).not.toBe(0);
}, 120_000);

test('tenant update --dry-run=server reports the change and leaves the tenant as it is', async () => {
  const created = gshiftIn(tenant.dir, ['tenant', 'create', T, '--envs', 'dev']);
  expect(created.status === 0 ? 0 : output(created)).toBe(0);
  const update = gshiftIn(tenant.dir, ['tenant', 'update', T, '--quota', 'pods=7', '--dry-run=server']);
  expect(update.status === 0 ? 0 : output(update)).toBe(0);
  expect(update.stdout).toMatch(/updated .*ResourceQuota\/gshift-quota/);
  expect(update.stdout).toContain('Nothing was saved (server dry run).');
  expect((await kubectlJson<any>(['get', 'resourcequota', 'gshift-quota', '-n', `${T}-dev`])).spec.hard.pods).toBe('20');
  const client = gshiftIn(tenant.dir, ['tenant', 'update', T, '--quota', 'pods=7', '--dry-run']);
  expect(client.stdout).toMatch(/pods: "7"/);
}, 120_000);
