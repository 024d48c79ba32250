import {describe, expect, it} from '@jest/globals';

import {QUOTA_PROFILES, parseQuotaSpec, resolveQuota} from '../../../src/tenant/quota.ts';

describe('--quota', () => {
  it('maps the short names to ResourceQuota keys and derives limits at twice the requests', () => {
    expect(parseQuotaSpec('cpu=8,memory=16Gi,storage=100Gi,pods=50')).toEqual({
      'requests.cpu': '8',
      'limits.cpu': '16',
      'requests.memory': '16Gi',
      'limits.memory': '32Gi',
      'requests.storage': '100Gi',
      pods: '50',
    });
  });

  it('keeps limits that are given explicitly', () => {
    expect(parseQuotaSpec('cpu=500m,limits.cpu=1,pvcs=3')).toEqual({'requests.cpu': '500m', 'limits.cpu': '1', persistentvolumeclaims: '3'});
  });

  it('rejects a quantity that does not parse, naming the key and the value', () => {
    expect(() => parseQuotaSpec('cpu=lots')).toThrow(/"lots" in --quota cpu is not a quantity/);
  });

  it('rejects unknown keys, fractional counts, sizes without a unit and limits below requests', () => {
    expect(() => parseQuotaSpec('gpus=1')).toThrow(/"gpus" in --quota is not a quota gshift sets/);
    expect(() => parseQuotaSpec('pods=1.5')).toThrow(/not a whole number/);
    expect(() => parseQuotaSpec('memory=16')).toThrow(/less than one mebibyte/);
    expect(() => parseQuotaSpec('cpu=4,limits.cpu=2')).toThrow(/limits.cpu \(2\) below requests.cpu \(4\)/);
    expect(() => parseQuotaSpec('cpu')).toThrow(/not key=value/);
    expect(() => parseQuotaSpec('cpu=1,cpu=2')).toThrow(/twice/);
    expect(() => parseQuotaSpec('')).toThrow(/empty/);
  });

  it('gives environments with high availability a larger quota than the others', () => {
    const standard = resolveQuota(false, {}, 'dev');
    const ha = resolveQuota(true, {}, 'prod');
    expect(standard).toEqual(QUOTA_PROFILES.standard);
    expect(Number(ha.pods)).toBeGreaterThan(Number(standard.pods));
    expect(Number(ha['requests.cpu'])).toBeGreaterThan(Number(standard['requests.cpu']));
  });

  it('refuses a profile override that would put limits below requests', () => {
    expect(() => resolveQuota(false, {'limits.cpu': '1'}, 'dev')).toThrow(/In dev, limits.cpu \(1\) would be below requests.cpu \(2\)/);
  });
});
