// A tenant for a user who may not create namespaces, on an OpenShift-style cluster: gshift asks
// for projects (project.openshift.io ProjectRequests, served through the real API server's
// aggregation layer by test/e2e/support/project-api.ts), then applies what a project admin may —
// RBAC, server-side apply and admission are the real API server's — and skips, with a warning,
// what the project template governs. A second run changes nothing.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, expect, test} from '@jest/globals';

import {type Cluster, connect} from '../../src/cluster/index.ts';
import {DEFAULT_CONFIG} from '../../src/config/schema.ts';
import {convergeTenant} from '../../src/tenant/converge.ts';
import {planCreate} from '../../src/tenant/settings.ts';
import {startProjectApi, type ProjectApi} from './support/project-api.ts';
import {TEST_KUBECONFIG, kubectl, kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 120_000;
const tenant = `proj-${randomBytes(3).toString('hex')}`;
let admin: Cluster;
let user: Cluster;
let projects: ProjectApi;
let home: TestNamespace;

beforeAll(async () => {
  admin = await connect({kubeconfig: TEST_KUBECONFIG});
  projects = await startProjectApi(admin);
  // A self-provisioner: may request projects, may not create namespaces.
  home = await newNamespace('projects-user');
  await home.kubectl(['create', 'serviceaccount', 'provisioner']);
  await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {name: `gshift-e2e-self-provisioner-${tenant}`}, rules: [{apiGroups: ['project.openshift.io'], resources: ['projectrequests'], verbs: ['create']}]},
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: {name: `gshift-e2e-self-provisioner-${tenant}`},
          roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `gshift-e2e-self-provisioner-${tenant}`},
          subjects: [{kind: 'ServiceAccount', name: 'provisioner', namespace: home.name}],
        },
      ],
    }),
  });
  const token = (await home.kubectl(['create', 'token', 'provisioner'])).trim();
  const raw = await kubectlJson<{clusters: {name: string}[]}>(['config', 'view', '--raw', '--minify']);
  const file = join(mkdtempSync(join(tmpdir(), 'gshift-provisioner-')), 'kubeconfig');
  writeFileSync(file, JSON.stringify({apiVersion: 'v1', kind: 'Config', clusters: raw.clusters, users: [{name: 'provisioner', user: {token}}], contexts: [{name: 'provisioner', context: {cluster: raw.clusters[0]!.name, user: 'provisioner'}}], 'current-context': 'provisioner'}));
  user = await connect({kubeconfig: file});
}, TIMEOUT);

afterAll(async () => {
  await user?.close();
  await projects?.stop();
  await admin?.close();
  for (const env of ['dev', 'prod']) await kubectlResult(['delete', 'namespace', `${tenant}-${env}`, '--wait=false', '--ignore-not-found']);
  await kubectlResult(['delete', 'clusterrolebinding,clusterrole', `gshift-e2e-self-provisioner-${tenant}`, '--ignore-not-found']);
}, TIMEOUT);

async function converge() {
  const warnings: string[] = [];
  const plan = planCreate({name: tenant, ciAccount: false, adopt: false, envs: 'dev,prod', developers: [`${tenant}-devs`]}, DEFAULT_CONFIG);
  const report = await convergeTenant(user, plan, {...DEFAULT_CONFIG, tooling: 'gshift/v0-e2e'}, {warn: (text) => warnings.push(text)});
  return {report, warnings};
}

test('requests OpenShift projects when namespaces may not be created, applies what a project admin may, and changes nothing the second time', async () => {
  const {report, warnings} = await converge();
  for (const environment of report.environments) {
    expect(environment.projectRequested).toBe(true);
    expect(environment.skipped).toEqual(expect.arrayContaining([`Namespace/${environment.namespace}`, 'ResourceQuota/gshift-quota', 'LimitRange/gshift-limits']));
  }
  const namespace = await kubectlJson<{metadata: {annotations?: Record<string, string>}}>(['get', 'namespace', `${tenant}-dev`]);
  expect(namespace.metadata.annotations?.['openshift.io/requester']).toBe(`system:serviceaccount:${home.name}:provisioner`);
  const policies = await kubectlJson<{items: {metadata: {name: string}}[]}>(['get', 'networkpolicies', '-n', `${tenant}-dev`]);
  expect(policies.items.map((policy) => policy.metadata.name)).toContain('gshift-deny-all-ingress');
  expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${tenant}-dev is an OpenShift project: you may not set `))]));

  // The second run recognises the projects by gshift's policies in them, and writes nothing.
  const again = await converge();
  expect(again.report.changed).toBe(false);
}, TIMEOUT);
