import {describe, expect, it} from '@jest/globals';

import {applyWaves} from '../../../src/cluster/apply.js';

const kindsOf = (kinds: string[], waves: number[][]) => waves.map((wave) => wave.map((index) => kinds[index]));

describe('apply waves: what goes to the server together', () => {
  it('sends an app in two round trips: what its pods need, then the workload with what only names it', () => {
    const kinds = ['Secret', 'ConfigMap', 'Service', 'Deployment', 'Route', 'HorizontalPodAutoscaler'];
    expect(kindsOf(kinds, applyWaves(kinds, false))).toEqual([['Secret', 'ConfigMap', 'Service'], ['Deployment', 'Route', 'HorizontalPodAutoscaler']]);
  });

  it('sends nothing before the namespace or CRD it lives in exists', () => {
    const kinds = ['Namespace', 'ResourceQuota', 'RoleBinding', 'CustomResourceDefinition', 'Certificate'];
    expect(kindsOf(kinds, applyWaves(kinds, false))).toEqual([['Namespace'], ['ResourceQuota', 'RoleBinding', 'CustomResourceDefinition'], ['Certificate']]);
  });

  it('rehearses a whole app at once in a dry run, which writes nothing a later object could need', () => {
    const kinds = ['ConfigMap', 'Service', 'Deployment', 'Route'];
    expect(applyWaves(kinds, true)).toEqual([[0, 1, 2, 3]]);
  });

  it('keeps workloads that follow one another together, and the caller order inside every wave', () => {
    const kinds = ['Deployment', 'StatefulSet', 'Service'];
    expect(applyWaves(kinds, false)).toEqual([[0, 1, 2]]);
  });
});
