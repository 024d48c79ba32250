// The tenant service's converge, in process, against the real API server: server-side apply
// decides created / configured / unchanged, and the ApplySet records what to prune. (These were
// unit tests over an in-memory cluster that had to imitate the server.)
import {randomBytes} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {type Cluster, type KubeObject, connect} from '../../src/cluster/index.ts';
import {DEFAULT_CONFIG} from '../../src/config/schema.ts';
import {convergeTenant} from '../../src/tenant/converge.ts';
import {type CreateRequest, planCreate} from '../../src/tenant/settings.ts';
import {TEST_KUBECONFIG, kubectl, kubectlJson, kubectlResult, waitUntil} from './support/index.ts';

const config = {...DEFAULT_CONFIG, tooling: 'gshift/v0-e2e'};
const suffix = randomBytes(3).toString('hex');
const made: string[] = [];
let cluster: Cluster;

beforeAll(async () => {
  cluster = await connect({kubeconfig: TEST_KUBECONFIG});
});

afterAll(async () => {
  await cluster.close();
  for (const namespace of made) await kubectlResult(['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
});

function tenantName(prefix: string): string {
  const name = `${prefix}-${suffix}`;
  made.push(`${name}-dev`, `${name}-prod`);
  return name;
}

async function converge(tenant: string, request: Partial<CreateRequest> = {}) {
  const warnings: string[] = [];
  const plan = planCreate({name: tenant, ciAccount: false, adopt: false, envs: 'dev,prod', developers: [`${tenant}-devs`], ...request}, config);
  const report = await convergeTenant(cluster, plan, config, {warn: (text) => warnings.push(text)});
  return {report, warnings};
}

type Listed = {items: KubeObject[]};
/** Every object in the tenant's namespaces with its resourceVersion: a write changes one. */
async function versions(tenant: string): Promise<Record<string, string>> {
  const listed = await kubectlJson<Listed>(['get', 'namespaces,resourcequotas,limitranges,networkpolicies,rolebindings,serviceaccounts,configmaps', '-A', '-l', `gshift.io/tenant=${tenant}`]);
  return Object.fromEntries(listed.items.map((item) => [`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, item.metadata.resourceVersion!]));
}

describe('converging a tenant on the real API server', () => {
  test('creates every object on the first run and writes nothing on the second', async () => {
    const tenant = tenantName('conv');
    const first = await converge(tenant, {ciAccount: true});
    expect(first.report.changed).toBe(true);
    expect(first.report.environments[0]!.created).toEqual(expect.arrayContaining([`Namespace/${tenant}-dev`, 'RoleBinding/gshift-developers-edit']));
    expect(first.report.environments[1]!.created).toContain('RoleBinding/gshift-developers-view');
    // The set is recorded as an ApplySet that kubectl recognises.
    const parent = await kubectlJson<KubeObject>(['get', 'configmap', `gshift-tenant-${tenant}`, '-n', `${tenant}-dev`]);
    expect(parent.metadata.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toContain('RoleBinding.rbac.authorization.k8s.io');

    const before = await versions(tenant);
    const second = await converge(tenant, {ciAccount: true});
    expect(second.report.changed).toBe(false);
    expect(second.report.environments[0]!.created).toEqual([]);
    expect(await versions(tenant)).toEqual(before);
  }, 60_000);

  test('updates what changed and prunes what is no longer wanted, leaving app objects alone', async () => {
    const tenant = tenantName('prune');
    await converge(tenant, {ciAccount: true, viewers: ['auditors']});
    // An app's ServiceAccount carries the tenant label but is not part of the tenant's set.
    await kubectl(['create', 'serviceaccount', 'web', '-n', `${tenant}-dev`]);
    await kubectl(['label', 'serviceaccount', 'web', '-n', `${tenant}-dev`, 'app.kubernetes.io/managed-by=gshift', `gshift.io/tenant=${tenant}`, `gshift.io/part-of-tenant=${tenant}`]);

    const {report} = await converge(tenant, {quota: 'pods=7'});
    const dev = report.environments[0]!;
    expect(dev.configured).toEqual([`Namespace/${tenant}-dev`, 'ResourceQuota/gshift-quota']);
    expect(dev.deleted.sort()).toEqual(['RoleBinding/gshift-ci-edit', 'RoleBinding/gshift-viewers-view', 'ServiceAccount/gshift-ci']);
    expect((await kubectlResult(['get', 'serviceaccount', 'web', '-n', `${tenant}-dev`])).code).toBe(0);
    const quota = await kubectlJson<{spec: {hard: Record<string, string>}}>(['get', 'resourcequota', 'gshift-quota', '-n', `${tenant}-dev`]);
    expect(quota.spec.hard.pods).toBe('7');
  }, 60_000);

  test('pins Pod Security to the server version, and keeps an existing pin', async () => {
    const tenant = tenantName('pss');
    const server = await kubectlJson<{serverVersion: {minor: string}}>(['version']);
    await converge(tenant);
    const labels = async () => (await kubectlJson<KubeObject>(['get', 'namespace', `${tenant}-dev`])).metadata.labels!;
    expect((await labels())['pod-security.kubernetes.io/enforce-version']).toBe(`v1.${server.serverVersion.minor.replace(/\D/g, '')}`);
    await kubectl(['label', 'namespace', `${tenant}-dev`, 'pod-security.kubernetes.io/enforce-version=v1.30', '--overwrite']);
    await converge(tenant);
    expect((await labels())['pod-security.kubernetes.io/audit-version']).toBe('v1.30');
  }, 60_000);

  test('refuses, writing nothing, when a namespace exists that gshift did not make; takes it over with --adopt', async () => {
    const tenant = tenantName('adopt');
    await kubectl(['create', 'namespace', `${tenant}-prod`]);
    await kubectl(['label', 'namespace', `${tenant}-prod`, 'team=other']);
    await expect(converge(tenant)).rejects.toMatchObject({code: 'CONFLICT', message: expect.stringContaining(`"${tenant}-prod" already exists and was not made by gshift`), hint: expect.stringContaining('--adopt')});
    expect((await kubectlResult(['get', 'namespace', `${tenant}-dev`])).code).not.toBe(0);

    const {report} = await converge(tenant, {adopt: true});
    expect(report.environments[1]!.configured).toContain(`Namespace/${tenant}-prod`);
    expect((await kubectlJson<KubeObject>(['get', 'namespace', `${tenant}-prod`])).metadata.labels).toMatchObject({team: 'other', 'gshift.io/tenant': tenant});
  }, 60_000);

  test("never adopts another gshift tenant's namespace", async () => {
    const tenant = tenantName('theirs');
    await kubectl(['create', 'namespace', `${tenant}-dev`]);
    await kubectl(['label', 'namespace', `${tenant}-dev`, 'app.kubernetes.io/managed-by=gshift', 'gshift.io/tenant=someone-else']);
    await expect(converge(tenant, {adopt: true})).rejects.toMatchObject({code: 'CONFLICT', message: expect.stringContaining('belongs to gshift tenant "someone-else"')});
  }, 60_000);

  test('warns, with the use the quota controller counted, when a quota is lowered below what is in use', async () => {
    const tenant = tenantName('quota');
    await converge(tenant);
    const namespace = `${tenant}-dev`;
    await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-n', namespace, '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {name: 'busy'},
        spec: {
          replicas: 3,
          selector: {matchLabels: {app: 'busy'}},
          template: {
            metadata: {labels: {app: 'busy'}},
            spec: {
              securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: 'RuntimeDefault'}},
              containers: [{name: 'app', image: 'registry.example.org/busy:1', securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}}}],
            },
          },
        },
      }),
    });
    await waitUntil(async () => (await kubectlJson<{status?: {used?: Record<string, string>}}>(['get', 'resourcequota', 'gshift-quota', '-n', namespace])).status?.used?.pods === '3', {
      timeoutMs: 60_000,
      description: 'the quota controller to count 3 pods',
    });
    const {warnings} = await converge(tenant, {quota: 'pods=2'});
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${namespace}: the new quota is below current use for pods 2 \\(in use: 3\\)`))]);
  }, 120_000);
});
