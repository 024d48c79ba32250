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

// What the real server decides (created/configured/unchanged, pruning, adoption, the quota
// controller's counts) is proven in test/e2e/tenant-converge.test.ts; this covers what the test
// cluster cannot serve: OpenShift's ProjectRequest, for a user who may not create namespaces.
describe('converging a tenant', () => {
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
