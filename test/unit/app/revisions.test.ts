import {describe, expect, it} from '@jest/globals';

import {planRollback, revisionHistory, templateForRollback} from '../../../src/app/revisions.js';
import type {Deployment, ReplicaSet} from '../../../src/rollout/objects.js';

const deployment = (revision: number): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'web', uid: 'dep-1', annotations: {'deployment.kubernetes.io/revision': String(revision)}},
});

const replicaSet = (revision: number, image: string, owner = 'dep-1'): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `web-${revision}`,
    annotations: {'deployment.kubernetes.io/revision': String(revision)},
    ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true}],
  },
  spec: {template: {metadata: {labels: {app: 'web', 'pod-template-hash': `h${revision}`}}, spec: {containers: [{name: 'web', image}]}}},
});

const history = revisionHistory(deployment(3), [replicaSet(3, 'web:3'), replicaSet(1, 'web:1'), replicaSet(2, 'web:2'), replicaSet(9, 'other:9', 'dep-2')]);

describe('rollback', () => {
  it('reads the revisions of the ReplicaSets the Deployment owns, oldest first', () => {
    expect(history.map((entry) => [entry.revision, entry.images])).toEqual([[1, ['web:1']], [2, ['web:2']], [3, ['web:3']]]);
  });

  it('returns to the revision before the current one by default, as kubectl rollout undo does', () => {
    const plan = planRollback(deployment(3), history);
    expect(plan.from).toBe(3);
    expect(plan.to.revision).toBe(2);
    expect(plan.to.images).toEqual(['web:2']);
  });

  it('returns to the revision asked for', () => {
    expect(planRollback(deployment(3), history, 1).to.images).toEqual(['web:1']);
  });

  it('names the revisions that exist when the one asked for does not', () => {
    expect(() => planRollback(deployment(3), history, 7)).toThrow(/no revision 7; its history holds 1 \(web:1\), 2 \(web:2\), 3 \(web:3\)/);
  });

  it('refuses when there is nothing older, or the revision asked for is the current one', () => {
    expect(() => planRollback(deployment(1), history.slice(0, 1))).toThrow(/no revision before the current one \(1\)/);
    expect(() => planRollback(deployment(3), history, 3)).toThrow(/already the current revision/);
  });

  it("restores the ReplicaSet's pod template without the controller's pod-template-hash label", () => {
    const template = templateForRollback(replicaSet(2, 'web:2'));
    expect(template.metadata?.labels).toEqual({app: 'web'});
    expect(template.spec?.containers?.[0]?.image).toBe('web:2');
  });
});
