import {describe, expect, it} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {convergeTenant} from '../../../src/tenant/converge.ts';
import {type CreateRequest, planCreate} from '../../../src/tenant/settings.ts';
import {FakeCluster} from './fake-cluster.ts';

const config = {...DEFAULT_CONFIG};
const plan = (request: Partial<CreateRequest> = {}) => planCreate({name: 'shop', ciAccount: false, adopt: false, envs: 'dev,prod', developers: ['shop-devs'], ...request}, config);

async function converge(fake: FakeCluster, request: Partial<CreateRequest> = {}) {
  const warnings: string[] = [];
  const report = await convergeTenant(fake.asCluster(), plan(request), config, {warn: (text) => warnings.push(text)});
  return {report, warnings};
}

describe('converging a tenant', () => {
  it('creates every object on the first run and writes nothing on the second', async () => {
    const fake = new FakeCluster();
    const first = await converge(fake, {ciAccount: true});
    expect(first.report.changed).toBe(true);
    expect(first.report.environments[0]!.created).toContain('Namespace/shop-dev');
    expect(fake.find('RoleBinding', 'shop-dev', 'gshift-developers-edit')).toBeDefined();
    expect(fake.find('RoleBinding', 'shop-prod', 'gshift-developers-view')).toBeDefined();

    const writes = fake.writes.length;
    const second = await converge(fake, {ciAccount: true});
    expect(second.report.changed).toBe(false);
    expect(fake.writes.length).toBe(writes);
  });

  it('pins Pod Security to the server version, and keeps an existing pin', async () => {
    const fake = new FakeCluster();
    await converge(fake);
    expect(fake.find('Namespace', undefined, 'shop-dev')!.metadata.labels!['pod-security.kubernetes.io/enforce-version']).toBe('v1.36');
    fake.find('Namespace', undefined, 'shop-dev')!.metadata.labels!['pod-security.kubernetes.io/enforce-version'] = 'v1.30';
    await converge(fake);
    expect(fake.find('Namespace', undefined, 'shop-dev')!.metadata.labels!['pod-security.kubernetes.io/audit-version']).toBe('v1.30');
  });

  it('updates what changed and removes what is no longer wanted, leaving app objects alone', async () => {
    const fake = new FakeCluster();
    await converge(fake, {ciAccount: true, viewers: ['auditors']});
    // An app's ServiceAccount carries the tenant label but is not part of the tenant.
    fake.objects.set('ServiceAccount/shop-dev/web', {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'web', namespace: 'shop-dev', labels: {'app.kubernetes.io/managed-by': 'gshift', 'gshift.io/tenant': 'shop'}}});

    const {report} = await converge(fake, {quota: 'pods=7'});
    const dev = report.environments[0]!;
    expect(dev.configured).toEqual(['Namespace/shop-dev', 'ResourceQuota/gshift-quota']);
    expect(dev.deleted.sort()).toEqual(['RoleBinding/gshift-ci-edit', 'RoleBinding/gshift-viewers-view', 'ServiceAccount/gshift-ci']);
    expect(fake.find('ServiceAccount', 'shop-dev', 'web')).toBeDefined();
    expect((fake.find('ResourceQuota', 'shop-dev', 'gshift-quota')!.spec as {hard: Record<string, string>}).hard.pods).toBe('7');
  });

  it('refuses, writing nothing, when a namespace exists that gshift did not make for this tenant', async () => {
    const fake = new FakeCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop-prod', labels: {team: 'other'}}}]});
    await expect(converge(fake)).rejects.toMatchObject({code: 'CONFLICT', message: expect.stringContaining('"shop-prod" already exists and was not made by gshift'), hint: expect.stringContaining('--adopt')});
    expect(fake.writes).toEqual([]);
  });

  it('takes such namespaces over with --adopt', async () => {
    const fake = new FakeCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop-prod', labels: {team: 'other'}}}]});
    const {report} = await converge(fake, {adopt: true});
    expect(report.environments[1]!.configured).toContain('Namespace/shop-prod');
    expect(fake.find('Namespace', undefined, 'shop-prod')!.metadata.labels).toMatchObject({team: 'other', 'gshift.io/tenant': 'shop'});
  });

  it("never adopts another gshift tenant's namespace", async () => {
    const fake = new FakeCluster({objects: [{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop-dev', labels: {'app.kubernetes.io/managed-by': 'gshift', 'gshift.io/tenant': 'sho'}}}]});
    await expect(converge(fake, {adopt: true})).rejects.toMatchObject({code: 'CONFLICT', message: expect.stringContaining('belongs to gshift tenant "sho"')});
  });

  it('warns, with the use, when a quota is lowered below what is in use', async () => {
    const fake = new FakeCluster();
    await converge(fake);
    fake.find('ResourceQuota', 'shop-dev', 'gshift-quota')!.status = {used: {pods: '12', 'requests.cpu': '1500m'}};
    const {warnings} = await converge(fake, {quota: 'pods=10,cpu=1'});
    expect(warnings).toEqual([expect.stringMatching(/shop-dev: the new quota is below current use for requests.cpu 1 \(in use: 1500m\), pods 10 \(in use: 12\)/)]);
  });

  it('requests OpenShift projects when namespaces may not be created, and applies what a project admin may', async () => {
    const fake = new FakeCluster({platform: 'openshift', projectsOnly: true});
    const {report, warnings} = await converge(fake);
    expect(fake.writes[0]).toBe('create ProjectRequest/shop-dev');
    expect(report.environments[0]!.projectRequested).toBe(true);
    expect(report.environments[0]!.skipped).toEqual(['Namespace/shop-dev', 'ResourceQuota/gshift-quota', 'LimitRange/gshift-limits']);
    expect(fake.find('NetworkPolicy', 'shop-dev', 'gshift-deny-all-ingress')).toBeDefined();
    expect(warnings[0]).toMatch(/shop-dev is an OpenShift project/);

    // The second run recognises the project by gshift's policies in it, and changes nothing.
    const again = await converge(fake);
    expect(again.report.changed).toBe(false);
  });
});
