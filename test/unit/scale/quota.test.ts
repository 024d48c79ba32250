import {describe, expect, it} from '@jest/globals';

import {parseQuotaRefusal, podCharge, quotaRoom, quotaShortfall, quotaStates} from '../../../src/scale/quota.js';
import {checkQuota, maxWarning, quotaFromRollout} from '../../../src/scale/quota-check.js';
import {GshiftError} from '../../../src/errors.js';

const quota = (used: Record<string, string>, hard: Record<string, string> = {'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.memory': '8Gi', pods: '20'}) => ({
  metadata: {name: 'shop-dev-quota'},
  spec: {hard},
  status: {hard, used},
});
const podSpec = {containers: [{name: 'web', resources: {requests: {cpu: '300m', memory: '256Mi'}, limits: {memory: '512Mi'}}}, {name: 'proxy', resources: {requests: {cpu: '100m', memory: '64Mi'}, limits: {memory: '64Mi'}}}]};

describe('what one pod charges a quota', () => {
  it('sums its containers (or its largest init container) as the quota admission does', () => {
    const charge = podCharge({...podSpec, initContainers: [{name: 'migrate', resources: {requests: {cpu: '1', memory: '64Mi'}}}]});
    expect(charge['requests.cpu']).toEqual({nanos: 1_000_000_000n, format: 'decimal'});
    expect(charge.cpu).toEqual(charge['requests.cpu']);
    expect(charge['requests.memory']!.nanos).toBe(320n * 2n ** 20n * 1_000_000_000n);
    expect(charge['limits.memory']!.nanos).toBe(576n * 2n ** 20n * 1_000_000_000n);
    expect(charge.pods!.nanos).toBe(1_000_000_000n);
    expect(charge['limits.cpu']).toBeUndefined();
  });
});

describe('a scale-up against the quota', () => {
  const charge = podCharge(podSpec);
  const quotas = quotaStates([quota({'requests.cpu': '1200m', 'requests.memory': '1280Mi', 'limits.memory': '2304Mi', pods: '3'})]);

  it('fits while every resource stays within hard', () => {
    expect(quotaShortfall(quotas, charge, 2)).toBeUndefined();
  });

  it('names the first resource it would exceed: used, hard, what the new pods request and by how much', () => {
    expect(quotaShortfall(quotas, charge, 3)).toEqual({quota: 'shop-dev-quota', resource: 'requests.cpu', hard: '2', used: '1200m', requested: '1200m', over: '400m', room: 2});
  });

  it('says how many more pods fit, and which quota and resource stop the next one', () => {
    expect(quotaRoom(quotas, charge)).toEqual({room: 2, quota: 'shop-dev-quota', resource: 'requests.cpu'});
    expect(quotaRoom([], charge).room).toBe(Number.POSITIVE_INFINITY);
  });

  it('leaves scoped quotas out rather than guess which pods they count', () => {
    expect(quotaStates([{...quota({pods: '20'}, {pods: '20'}), spec: {hard: {pods: '20'}, scopes: ['BestEffort']}}])).toEqual([]);
  });

  it('is refused before anything changes with exit 15, the resource, used/hard and the overshoot', () => {
    let error: unknown;
    try {
      checkQuota({quotas, charge}, {app: 'web', namespace: 'shop-dev', replicas: 6, current: 3, tenant: 'shop'});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GshiftError);
    expect(error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      exitCode: 15,
      message: 'The quota of shop-dev does not allow 6 replicas of web: requests.cpu would be 400m over its limit of 2 (1200m used, 3 more pods request 1200m; ResourceQuota shop-dev-quota).',
      hint: 'raise the quota (gshift tenant update shop --quota …), or scale to at most 5 replicas (gshift scale web --replicas 5).',
    });
  });

  it('warns when the autoscaler\'s maximum is beyond what the quota leaves room for', () => {
    expect(maxWarning({quotas, charge}, {app: 'web', namespace: 'shop-dev', max: 10, current: 3})).toBe(
      'the quota of shop-dev leaves room for at most 5 replicas of web, below --max 10 (requests.cpu: 1200m of 2 used, each pod takes 400m): the autoscaler will not get past 5 unless the quota is raised (ResourceQuota shop-dev-quota).',
    );
    expect(maxWarning({quotas, charge}, {app: 'web', namespace: 'shop-dev', max: 5, current: 3})).toBeUndefined();
  });
});

describe('a quota refusal caught while waiting', () => {
  const message = 'pods "web-7d9c6-x2x4k" is forbidden: exceeded quota: shop-dev-quota, requested: pods=1,requests.cpu=400m, used: pods=5,requests.cpu=2, limited: pods=20,requests.cpu=2';

  it('reads the resource that does not fit from the FailedCreate message', () => {
    expect(parseQuotaRefusal(message)).toEqual({quota: 'shop-dev-quota', resource: 'requests.cpu', hard: '2', used: '2', requested: '400m', over: '400m'});
    expect(parseQuotaRefusal('Back-off restarting failed container')).toBeUndefined();
  });

  it('turns the rollout\'s QuotaExceeded failure into exit 15 with the same sentence as a predicted refusal', () => {
    const failure = new GshiftError('ROLLOUT_FAILED', 'The ReplicaSet cannot create pods: …', {details: {reason: 'QuotaExceeded', events: [{reason: 'FailedCreate', message}]}});
    const mapped = quotaFromRollout(failure, {app: 'web', namespace: 'shop-dev', replicas: 6, current: 5});
    expect(mapped).toMatchObject({code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/^The quota of shop-dev does not allow 6 replicas of web: requests.cpu would be 400m over its limit of 2 \(2 used/)});
    expect(quotaFromRollout(new GshiftError('TIMED_OUT', 'Timed out'), {app: 'web', namespace: 'shop-dev', replicas: 6, current: 5})).toBeUndefined();
  });
});

describe('several resources over the quota', () => {
  it('names the one that stops the pods soonest', () => {
    const charge = podCharge({containers: [{name: 'web', resources: {requests: {cpu: '100m'}, limits: {cpu: '1'}}}]});
    const quotas = quotaStates([quota({'requests.cpu': '100m', 'limits.cpu': '1'}, {'limits.cpu': '4', 'requests.cpu': '300m'})]);
    expect(quotaShortfall(quotas, charge, 4)).toMatchObject({resource: 'requests.cpu', over: '200m', room: 2});
  });
});
