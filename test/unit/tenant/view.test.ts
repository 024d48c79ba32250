import {describe, expect, it} from '@jest/globals';

import {quotaBar, renderConvergeReport, renderTenantList} from '../../../src/ui/tenant-views.ts';

describe('tenant views', () => {
  it('draws quota use as a bar of fixed width, in eighths of a block', () => {
    expect(quotaBar(0)).toBe('░'.repeat(20));
    expect(quotaBar(0.5)).toBe('█'.repeat(10) + '░'.repeat(10));
    expect(quotaBar(1)).toBe('█'.repeat(20));
    expect(quotaBar(1.7)).toBe('█'.repeat(20));
    expect(quotaBar(1 / 160 + 0.25)).toBe('█'.repeat(5) + '▏' + '░'.repeat(14));
    expect([...quotaBar(0.33)].length).toBe(20);
  });

  it('says "No changes" when a run wrote nothing', () => {
    const unchanged = {env: 'dev', namespace: 'shop-dev', created: [], configured: [], unchanged: ['Namespace/shop-dev'], deleted: [], skipped: [], projectRequested: false};
    expect(renderConvergeReport({tenant: 'shop', environments: [unchanged], changed: false})).toBe('No changes: tenant shop is up to date.');
    const changed = {...unchanged, configured: ['ResourceQuota/gshift-quota'], deleted: ['RoleBinding/gshift-viewers-view']};
    expect(renderConvergeReport({tenant: 'shop', environments: [changed], changed: true})).toMatch(/dev\s+shop-dev\s+updated ResourceQuota\/gshift-quota; removed RoleBinding\/gshift-viewers-view/);
  });

  it('sums quota use over environments in the list', () => {
    const quota = (used: string, hard: string) => [{key: 'requests.cpu', used, hard, fraction: 0}];
    const text = renderTenantList([
      {
        name: 'shop',
        environments: [
          {env: 'dev', namespace: 'shop-dev', phase: 'Active', quota: quota('500m', '2')},
          {env: 'prod', namespace: 'shop-prod', phase: 'Terminating', quota: quota('1', '8')},
        ],
      },
    ]);
    expect(text).toMatch(/shop\s+dev, prod \(deleting\)\s+1500m\/10\s+-\s+-\s+-/);
  });
});
