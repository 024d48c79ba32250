import {describe, expect, it} from '@jest/globals';

import {mergeAutoscale, scaleChange} from '../../../src/scale/request.js';

describe('scale flags', () => {
  it('read as the change they ask for: none shows the state', () => {
    expect(scaleChange({})).toEqual({kind: 'show'});
    expect(scaleChange({replicas: 3})).toEqual({kind: 'replicas', replicas: 3});
    expect(scaleChange({replicas: 0})).toEqual({kind: 'replicas', replicas: 0});
    expect(scaleChange({min: 2, max: 10, cpu: 70})).toEqual({kind: 'autoscale', min: 2, max: 10, cpu: 70});
    expect(scaleChange({manual: true})).toEqual({kind: 'manual'});
    expect(scaleChange({manual: true, replicas: 4})).toEqual({kind: 'manual', replicas: 4});
  });

  it.each([
    [{replicas: -1}, /--replicas -1 is not a whole number from 0 to 1000/],
    [{replicas: 2.5}, /--replicas 2.5 is not a whole number/],
    [{min: 0, max: 3}, /--min 0 is not a whole number from 1/],
    [{min: 5, max: 2}, /--min 5 is above --max 2/],
    [{max: 3, cpu: 0}, /--cpu 0 is not a whole number from 1 to 100/],
    [{max: 3, memory: 101}, /--memory 101 is not a whole number from 1 to 100/],
    [{manual: true, max: 3}, /--manual removes the autoscaler, so it takes no --max/],
    [{replicas: 3, min: 2}, /--replicas fixes the count, while --min\/--max let the autoscaler choose it/],
  ])('refuses %j with a usage error', (flags, message) => {
    expect(() => scaleChange(flags)).toThrow(expect.objectContaining({code: 'USAGE', message: expect.stringMatching(message)}));
  });
});

describe('autoscaler settings', () => {
  const change = (given: object) => ({kind: 'autoscale' as const, ...given});

  it('need --max for a new autoscaler, which then starts at the floor and scales on CPU at 75%', () => {
    expect(() => mergeAutoscale(change({min: 2}), undefined, 1, 'web')).toThrow(/App web has no autoscaler yet, so it needs --max/);
    expect(mergeAutoscale(change({max: 5}), undefined, 2, 'web')).toEqual({min: 2, max: 5, cpu: 75});
  });

  it('keep what the flags leave out from the current autoscaler, target by target', () => {
    const current = {min: 2, max: 4, cpu: 75};
    expect(mergeAutoscale(change({max: 10}), current, 2, 'web')).toEqual({min: 2, max: 10, cpu: 75});
    expect(mergeAutoscale(change({memory: 80}), current, 2, 'web')).toEqual({min: 2, max: 4, cpu: 75, memory: 80});
    expect(mergeAutoscale(change({cpu: 50}), {...current, memory: 80}, 2, 'web')).toEqual({min: 2, max: 4, cpu: 50, memory: 80});
  });

  it('refuse a --max below the minimum the autoscaler keeps', () => {
    expect(() => mergeAutoscale(change({max: 3}), {min: 5, max: 8, cpu: 75}, 1, 'web')).toThrow(/--max 3 is below the autoscaler's minimum of 5/);
  });
});
