// gshift tenant on the real test cluster: what a tenant made by gshift enforces (Pod Security,
// RBAC, quota, network policies), that a second create writes nothing, and that bad input
// changes nothing. The default cluster serves the Route API, so gshift treats it as OpenShift;
// the second tenant is made with platform "kubernetes" from a config file to check the
// configurable namespace labels.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {runCli} from '../support/cli.ts';
import {TEST_KUBECONFIG, kubectl, kubectlJson, kubectlResult, waitUntil} from './support/index.ts';

const suffix = randomBytes(3).toString('hex');
const tenant = `shop-${suffix}`;
const other = `other-${suffix}`;
const configDir = mkdtempSync(join(tmpdir(), 'gshift-tenant-e2e-'));
const kubeConfigDir = mkdtempSync(join(tmpdir(), 'gshift-tenant-e2e-kube-'));
const env = {KUBECONFIG: TEST_KUBECONFIG, XDG_CONFIG_HOME: configDir, GSHIFT_CONFIG: '', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_PLATFORM: ''};

const gshift = (args: string[], options: {cwd?: string} = {}) => runCli(args, {env, cwd: options.cwd ?? configDir});
const ns = (name: string, environment: string) => `${name}-${environment}`;

/** `kubectl auth can-i`: exit 0 is yes, 1 is no. */
async function canI(verb: string, resource: string, namespace: string, as: {user: string; group?: string}): Promise<boolean> {
  const args = ['auth', 'can-i', verb, resource, '-n', namespace, `--as=${as.user}`, ...(as.group ? [`--as-group=${as.group}`] : [])];
  const result = await kubectlResult(args);
  if (result.code > 1) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.code === 0;
}

/** The resourceVersion of everything the tenant consists of, to prove a re-run wrote nothing. */
async function tenantVersions(name: string): Promise<Record<string, string>> {
  type Listed = {items: {kind: string; metadata: {name: string; namespace?: string; resourceVersion: string}}[]};
  const parts = await kubectlJson<Listed>(['get', 'namespaces,resourcequotas,limitranges,networkpolicies,rolebindings,serviceaccounts', '-A', '-l', `gshift.io/part-of-tenant=${name}`]);
  return Object.fromEntries(parts.items.map((item) => [`${item.kind}/${item.metadata.namespace ?? ''}/${item.metadata.name}`, item.metadata.resourceVersion]));
}

async function waitForDefaultServiceAccount(namespace: string): Promise<void> {
  await waitUntil(async () => (await kubectlResult(['get', 'serviceaccount', 'default', '-n', namespace])).code === 0, {timeoutMs: 30_000, description: `the default ServiceAccount of ${namespace}`});
}

function pod(name: string, securityContext: Record<string, unknown>): string {
  return JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'app', image: 'registry.example.org/acme/web:1.0.0', securityContext}]}});
}

const createArgs = ['tenant', 'create', tenant, '--envs', 'dev,test,prod', '--admins', `${tenant}-admins`, '--developers', `${tenant}-devs`, '--viewers', `${tenant}-auditors`, '--ci-account'];

beforeAll(() => {
  const created = gshift(createArgs);
  if (created.status !== 0) throw new Error(`tenant create failed (${created.status}): ${created.stderr}`);
  // The other tenant: plain Kubernetes rules and the platform's own namespace labels, from a project config file.
  writeFileSync(
    join(configDir, 'gshift.config.json'),
    JSON.stringify({platform: 'kubernetes', ingressNamespaceLabel: 'ingress.example.org/router=yes', monitoringNamespaceLabel: 'kubernetes.io/metadata.name=monitoring'}),
  );
  const second = gshift(['tenant', 'create', other, '--envs', 'dev', '--developers', `${other}-devs`]);
  rmSync(join(configDir, 'gshift.config.json'));
  if (second.status !== 0) throw new Error(`tenant create ${other} failed (${second.status}): ${second.stderr}`);
}, 120_000);

afterAll(async () => {
  for (const name of [tenant, other]) gshift(['tenant', 'delete', name, '--yes', '--no-wait']);
  rmSync(configDir, {recursive: true, force: true});
  rmSync(kubeConfigDir, {recursive: true, force: true});
}, 120_000);

describe('gshift tenant create', () => {
  test('makes one namespace per environment, labelled for the tenant, with Pod Security restricted pinned to the server version', async () => {
    const version = await kubectlJson<{serverVersion: {major: string; minor: string}}>(['version']);
    const pinned = `v${version.serverVersion.major}.${Number.parseInt(version.serverVersion.minor, 10)}`;
    for (const environment of ['dev', 'test', 'prod']) {
      const namespace = await kubectlJson<{metadata: {labels: Record<string, string>}}>(['get', 'namespace', ns(tenant, environment)]);
      expect(namespace.metadata.labels).toMatchObject({
        'gshift.io/tenant': tenant,
        'gshift.io/env': environment,
        'app.kubernetes.io/managed-by': 'gshift',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': pinned,
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': pinned,
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': pinned,
      });
    }
  }, 120_000);

  test('writes nothing when run again with the same flags, and says so', async () => {
    const before = await tenantVersions(tenant);
    expect(Object.keys(before).length).toBeGreaterThan(30);
    const again = gshift(createArgs);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(`No changes: tenant ${tenant} is up to date.`);
    expect(await tenantVersions(tenant)).toEqual(before);
  }, 120_000);

  test('rejects a privileged pod and admits a compliant one that declares no resources (the LimitRange fills them in)', async () => {
    const namespace = ns(tenant, 'dev');
    await waitForDefaultServiceAccount(namespace);
    const privileged = await kubectlResult(['create', '-n', namespace, '-f', '-'], {input: pod('privileged', {privileged: true})});
    expect(privileged.code).not.toBe(0);
    expect(privileged.stderr).toMatch(/violates PodSecurity "restricted:v1\.\d+"/);
    expect(privileged.stderr).toContain('privileged');

    const compliant = {runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, seccompProfile: {type: 'RuntimeDefault'}};
    await kubectl(['create', '-n', namespace, '-f', '-'], {input: pod('compliant', compliant)});
    const admitted = await kubectlJson<{spec: {containers: {resources: Record<string, Record<string, string>>}[]}}>(['get', 'pod', 'compliant', '-n', namespace]);
    expect(admitted.spec.containers[0]!.resources).toEqual({requests: {cpu: '100m', memory: '128Mi'}, limits: {cpu: '500m', memory: '512Mi'}});
    await kubectl(['delete', 'pod', 'compliant', '-n', namespace, '--wait=false']);
  }, 120_000);

  test('lets developers create Deployments in dev but not in prod, and a user of another tenant do nothing', async () => {
    const developer = {user: 'alice', group: `${tenant}-devs`};
    expect(await canI('create', 'deployments.apps', ns(tenant, 'dev'), developer)).toBe(true);
    expect(await canI('create', 'deployments.apps', ns(tenant, 'test'), developer)).toBe(true);
    expect(await canI('create', 'deployments.apps', ns(tenant, 'prod'), developer)).toBe(false);
    expect(await canI('get', 'deployments.apps', ns(tenant, 'prod'), developer)).toBe(true);
    expect(await canI('create', 'rolebindings.rbac.authorization.k8s.io', ns(tenant, 'prod'), {user: 'ann', group: `${tenant}-admins`})).toBe(true);
    const auditor = {user: 'vic', group: `${tenant}-auditors`};
    expect(await canI('list', 'pods', ns(tenant, 'dev'), auditor)).toBe(true);
    expect(await canI('create', 'deployments.apps', ns(tenant, 'dev'), auditor)).toBe(false);

    const outsider = {user: 'bob', group: `${other}-devs`};
    expect(await canI('create', 'deployments.apps', ns(other, 'dev'), outsider)).toBe(true);
    for (const environment of ['dev', 'test', 'prod']) {
      for (const [verb, resource] of [['*', '*'], ['get', 'pods'], ['list', 'secrets'], ['create', 'deployments.apps'], ['get', 'configmaps'], ['delete', 'services']] as const) {
        expect({environment, verb, resource, allowed: await canI(verb, resource, ns(tenant, environment), outsider)}).toEqual({environment, verb, resource, allowed: false});
      }
    }
  }, 120_000);

  test('isolates ingress: deny all, then allow the namespace itself, the router and monitoring (OpenShift policy groups)', async () => {
    type Policies = {items: {metadata: {name: string}; spec: Record<string, unknown>}[]};
    const specs = async (namespace: string) => Object.fromEntries((await kubectlJson<Policies>(['get', 'networkpolicies', '-n', namespace])).items.map((item) => [item.metadata.name, item.spec]));
    const openshift = await specs(ns(tenant, 'prod'));
    expect(openshift).toEqual({
      'gshift-deny-all-ingress': {podSelector: {}, policyTypes: ['Ingress']},
      'gshift-allow-same-namespace': {podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{podSelector: {}}]}]},
      'gshift-allow-from-ingress': {podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{namespaceSelector: {matchLabels: {'policy-group.network.openshift.io/ingress': ''}}}]}]},
      'gshift-allow-from-monitoring': {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{from: [{namespaceSelector: {matchLabels: {'gshift.io/monitoring': 'true'}}}, {namespaceSelector: {matchLabels: {'network.openshift.io/policy-group': 'monitoring'}}}]}],
      },
    });
    // Nothing selects other tenants' namespaces: every peer is the namespace itself or a platform label.
    const kubernetes = await specs(ns(other, 'dev'));
    expect(kubernetes['gshift-allow-from-ingress']).toEqual({podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{namespaceSelector: {matchLabels: {'ingress.example.org/router': 'yes'}}}]}]});
    expect(kubernetes['gshift-allow-from-monitoring']).toEqual({podSelector: {}, policyTypes: ['Ingress'], ingress: [{from: [{namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': 'monitoring'}}}]}]});
  }, 120_000);

  test('prints a kubeconfig whose short-lived CI token may deploy to its own environment only', async () => {
    const printed = gshift(['tenant', 'ci-kubeconfig', tenant, '--env', 'test', '--duration', '15m']);
    expect(printed.status).toBe(0);
    expect(printed.stderr).toMatch(/valid until \d{4}-\d\d-\d\dT/);
    const file = join(kubeConfigDir, 'ci');
    writeFileSync(file, printed.stdout);
    const asCi = async (namespace: string) => (await kubectlResult(['auth', 'can-i', 'create', 'deployments.apps', '-n', namespace], {kubeconfig: file})).code;
    expect(await asCi(ns(tenant, 'test'))).toBe(0);
    expect(await asCi(ns(tenant, 'prod'))).toBe(1);
    expect(await asCi(ns(other, 'dev'))).toBe(1);
  }, 120_000);
});

describe('the quota', () => {
  test('allows no load balancers or node ports, and gives prod (high availability) more than dev', async () => {
    for (const type of ['nodeport', 'loadbalancer']) {
      const refused = await kubectlResult(['create', 'service', type, `svc-${type}`, '--tcp=80', '-n', ns(tenant, 'dev')]);
      expect({type, code: refused.code, stderr: refused.stderr}).toEqual({type, code: 1, stderr: expect.stringContaining('exceeded quota: gshift-quota')});
    }
    type Quota = {spec: {hard: Record<string, string>}};
    const dev = (await kubectlJson<Quota>(['get', 'resourcequota', 'gshift-quota', '-n', ns(tenant, 'dev')])).spec.hard;
    const prod = (await kubectlJson<Quota>(['get', 'resourcequota', 'gshift-quota', '-n', ns(tenant, 'prod')])).spec.hard;
    expect(dev).toMatchObject({'services.loadbalancers': '0', 'services.nodeports': '0', 'requests.cpu': '2', pods: '20'});
    expect(prod).toMatchObject({'services.loadbalancers': '0', 'services.nodeports': '0', 'requests.cpu': '8', pods: '50'});
  }, 120_000);

  test('is enforced by the API server: the ReplicaSet reports FailedCreate, and gshift app create names the quota as the cause', async () => {
    const lowered = gshift(['tenant', 'update', tenant, '--env', 'test', '--quota', 'cpu=200m,limits.cpu=400m']);
    expect(lowered.status).toBe(0);
    expect(lowered.stdout).toContain('ResourceQuota/gshift-quota');
    const namespace = ns(tenant, 'test');
    await waitForDefaultServiceAccount(namespace);

    // nginx asks for a 500m CPU limit: more than the 400m the whole namespace may have.
    const created = gshift(['app', 'create', 'web', '--stack', 'nginx', '--tenant', tenant, '--env', 'test', '--timeout', '60s']);
    expect({status: created.status, output: `${created.stdout}\n${created.stderr}`}).toEqual({status: 8, output: expect.stringMatching(/quota/i)});
    expect(created.stderr.split('\n').find((line) => line.startsWith('Error:'))).toMatch(/^Error: The ReplicaSet cannot create pods: the namespace's ResourceQuota "gshift-quota" is exceeded/);

    type ReplicaSets = {items: {status: {conditions?: {type: string; reason: string; message: string}[]}}[]};
    const failure = await waitUntil(async () => {
      const sets = await kubectlJson<ReplicaSets>(['get', 'replicasets', '-n', namespace]);
      return sets.items.flatMap((set) => set.status.conditions ?? []).find((condition) => condition.type === 'ReplicaFailure');
    }, {description: 'the ReplicaFailure condition'});
    expect(failure).toMatchObject({reason: 'FailedCreate', message: expect.stringContaining('exceeded quota: gshift-quota')});
  }, 120_000);

  test('warns, showing the use, when it is lowered below what is in use', async () => {
    const namespace = ns(tenant, 'dev');
    await kubectl(['create', '-n', namespace, '-f', '-'], {
      input: pod('holder', {runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, seccompProfile: {type: 'RuntimeDefault'}}),
    });
    await waitUntil(async () => {
      const quota = await kubectlJson<{status: {used?: Record<string, string>}}>(['get', 'resourcequota', 'gshift-quota', '-n', namespace]);
      return quota.status.used?.pods !== undefined && Number(quota.status.used.pods) >= 1;
    }, {description: 'the quota to count the pod'});
    const lowered = gshift(['tenant', 'update', tenant, '--env', 'dev', '--quota', 'pods=0']);
    expect(lowered.status).toBe(0);
    expect(lowered.stderr).toMatch(new RegExp(`${namespace}: the new quota is below current use for pods 0 \\(in use: \\d+\\)`));
    gshift(['tenant', 'update', tenant, '--env', 'dev', '--quota', 'pods=20']);
    await kubectl(['delete', 'pod', 'holder', '-n', namespace, '--wait=false']);
  }, 120_000);
});

describe('bad input', () => {
  test('a quantity that does not parse, an unknown environment or a bad name: a usage error, and nothing created', async () => {
    const fresh = `fresh-${suffix}`;
    for (const [args, message] of [
      [['--quota', 'cpu=lots'], /"lots" in --quota cpu is not a quantity/],
      [['--envs', 'dev,staging'], /"staging" is not one of this platform's environments/],
    ] as const) {
      const result = gshift(['tenant', 'create', fresh, ...args]);
      expect({status: result.status, stderr: result.stderr}).toEqual({status: 2, stderr: expect.stringMatching(message)});
    }
    const badName = gshift(['tenant', 'create', 'Not_A_Label']);
    expect(badName.status).toBe(2);
    expect(badName.stderr).toContain('"Not_A_Label" is not a valid tenant name: it has the upper-case letter "N".');
    const tooLong = gshift(['tenant', 'create', 'a'.repeat(60), '--envs', 'prod']);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('Kubernetes allows 63');
    expect((await kubectlResult(['get', 'namespace', ns(fresh, 'dev')])).code).not.toBe(0);
  }, 120_000);

  test('a namespace with the tenant name that gshift does not own: refused without --adopt, taken over with it', async () => {
    const taken = `taken-${suffix}`;
    await kubectl(['create', 'namespace', ns(taken, 'dev')]);
    try {
      const refused = gshift(['tenant', 'create', taken, '--envs', 'dev,prod']);
      expect(refused.status).toBe(7);
      expect(refused.stderr).toContain(`"${ns(taken, 'dev')}" already exists and was not made by gshift`);
      expect((await kubectlResult(['get', 'namespace', ns(taken, 'prod')])).code).not.toBe(0);
      expect((await kubectlResult(['get', 'resourcequota', 'gshift-quota', '-n', ns(taken, 'dev')])).code).not.toBe(0);

      const adopted = gshift(['tenant', 'create', taken, '--envs', 'dev', '--adopt']);
      expect(adopted.status).toBe(0);
      const labels = (await kubectlJson<{metadata: {labels: Record<string, string>}}>(['get', 'namespace', ns(taken, 'dev')])).metadata.labels;
      expect(labels['gshift.io/tenant']).toBe(taken);
    } finally {
      await kubectlResult(['delete', 'namespace', ns(taken, 'dev'), '--wait=false']);
    }
  }, 120_000);
});

describe('gshift tenant list, show and delete', () => {
  test('list finds the tenant with its environments; show draws the quota and names members and policies', () => {
    const listed = gshift(['tenant', 'list', '--json']);
    expect(listed.status).toBe(0);
    const tenants = JSON.parse(listed.stdout).result as {name: string; environments: {env: string}[]}[];
    expect(tenants.find((entry) => entry.name === tenant)?.environments.map((entry) => entry.env)).toEqual(['dev', 'test', 'prod']);

    const shown = gshift(['tenant', 'show', tenant]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/requests\.cpu\s+[█░▏▎▍▌▋▊▉]{20}\s+\S+ \/ 200m/);
    expect(shown.stdout).toContain(`developers (view): ${tenant}-devs`);
    expect(shown.stdout).toContain('gshift-deny-all-ingress');
  }, 120_000);

  test('delete lists what goes, needs --yes without a terminal, and removes the environment', async () => {
    const refused = gshift(['tenant', 'delete', other]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(ns(other, 'dev'));
    expect(refused.stderr).toContain('--yes');
    expect((await kubectlResult(['get', 'namespace', ns(other, 'dev')])).code).toBe(0);

    const deleted = gshift(['tenant', 'delete', other, '--env', 'dev', '--yes', '--timeout', '60s']);
    expect(deleted.status).toBe(0);
    expect(deleted.stdout).toContain(`Deleted environment dev of tenant ${other}`);
    expect((await kubectlResult(['get', 'namespace', ns(other, 'dev')])).code).not.toBe(0);
    const again = gshift(['tenant', 'delete', other, '--yes']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing to delete');
  }, 120_000);
});

describe('gshift tenant update and convergence', () => {
  test('adds an environment with the members of the others, its own quota and developers only viewing in acc', async () => {
    const added = gshift(['tenant', 'update', tenant, '--add-env', 'acc']);
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(new RegExp(`acc\\s+${ns(tenant, 'acc')}\\s+created \\d+ objects`));
    const developer = {user: 'alice', group: `${tenant}-devs`};
    expect(await canI('get', 'deployments.apps', ns(tenant, 'acc'), developer)).toBe(true);
    expect(await canI('create', 'deployments.apps', ns(tenant, 'acc'), developer)).toBe(false);
    expect((await kubectlJson<{spec: {hard: Record<string, string>}}>(['get', 'resourcequota', 'gshift-quota', '-n', ns(tenant, 'acc')])).spec.hard['requests.cpu']).toBe('8');
    expect((await kubectlResult(['get', 'serviceaccount', 'gshift-ci', '-n', ns(tenant, 'acc')])).code).toBe(0);
    expect(gshift(['tenant', 'update', tenant, '--add-env', 'acc']).stdout.trim()).toBe(`No changes: tenant ${tenant} is up to date.`);
  }, 120_000);

  test('removes what a changed create no longer asks for, and leaves the apps in its namespaces alone', async () => {
    type Listed = {items: {kind: string; metadata: {name: string; uid: string}}[]};
    const appObjects = async () =>
      (await kubectlJson<Listed>(['get', 'deployments,services,routes,configmaps', '-l', 'gshift.io/app', '-n', ns(tenant, 'test')])).items.map((item) => `${item.kind}/${item.metadata.name}/${item.metadata.uid}`).sort();
    const before = await appObjects();
    expect(before.length).toBeGreaterThan(0);
    const withoutCi = gshift(['tenant', 'create', tenant, '--envs', 'dev,test,prod', '--admins', `${tenant}-admins`, '--developers', `${tenant}-devs`]);
    expect(withoutCi.status).toBe(0);
    expect(withoutCi.stdout).toMatch(new RegExp(`dev\\s+${ns(tenant, 'dev')}\\s+updated Namespace/${ns(tenant, 'dev')}; removed RoleBinding/gshift-ci-edit, RoleBinding/gshift-viewers-view, ServiceAccount/gshift-ci`));
    expect((await kubectlResult(['get', 'serviceaccount', 'gshift-ci', '-n', ns(tenant, 'dev')])).code).not.toBe(0);
    expect((await kubectlResult(['get', 'rolebinding', 'gshift-viewers-view', '-n', ns(tenant, 'prod')])).code).not.toBe(0);
    expect(await canI('list', 'pods', ns(tenant, 'dev'), {user: 'vic', group: `${tenant}-auditors`})).toBe(false);
    // acc was not named in --envs: left as it is.
    expect(withoutCi.stderr).toContain(`${ns(tenant, 'acc')} is not in --envs and was left as it is`);
    expect((await kubectlResult(['get', 'serviceaccount', 'gshift-ci', '-n', ns(tenant, 'acc')])).code).toBe(0);
    expect(await appObjects()).toEqual(before);
  }, 120_000);
});
