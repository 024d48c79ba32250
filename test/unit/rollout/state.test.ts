import {describe, expect, it} from '@jest/globals';

import {progressOf} from '../../../src/rollout/progress.ts';
import {currentPods, currentReplicaSet, initialState, oldPods, reduce} from '../../../src/rollout/state.ts';
import {deployment, event, HASH, NAME, NAMESPACE, OLD_HASH, OLD_IMAGE, pod, replay, replicaSet, running, synced, T0} from './fixtures.ts';

describe('the rollout reducer', () => {
  it('keeps only the Deployment\'s own ReplicaSets, pods and events (not web-api\'s, whose names share the prefix)', () => {
    const other = pod('zzzzz', [running()], {hash: 'api-6b5d4c3b2a'});
    other.metadata.ownerReferences = [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-api-6b5d4c3b2a', uid: 'rs-other', controller: true}];
    const state = replay([
      ['ADDED', deployment({observedGeneration: 1, revision: 1, status: {replicas: 1, updated: 1}})],
      ['ADDED', {...deployment(), metadata: {...deployment().metadata, name: 'web-api', uid: 'other'}}],
      ['ADDED', replicaSet(HASH, {revision: 1})],
      ['ADDED', pod('a1b2c', [running()])],
      ['ADDED', other],
      ...synced,
    ]);
    expect(state.deployment?.metadata.name).toBe(NAME);
    expect(currentPods(state).map((p) => p.metadata.name)).toEqual(['web-7c9d8f5b6d-a1b2c']);
  });

  it('picks the ReplicaSet whose template is the Deployment\'s, also after a rollback re-used an old one', () => {
    const state = replay([
      ['ADDED', deployment({generation: 3, observedGeneration: 3, revision: 3, status: {}, template: {image: OLD_IMAGE}})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 3})],
      ['ADDED', replicaSet(HASH, {revision: 2})],
    ]);
    expect(currentReplicaSet(state)?.metadata.name).toBe(`web-${OLD_HASH}`);
  });

  it('does not call the first pods of a new Deployment old while the controller has not reported on it yet', () => {
    const state = replay([
      ['ADDED', deployment({generation: 1})],
      ['ADDED', replicaSet(HASH, {revision: 1})],
      ['ADDED', pod('a1b2c', undefined, {phase: 'Pending'})],
    ]);
    expect(oldPods(state)).toEqual([]);
    expect(progressOf(state).pods.map((p) => `${p.name} ${p.current ? 'current' : 'old'}`)).toEqual(['web-7c9d8f5b6d-a1b2c current']);
  });

  it('calls the pods of the previous template old as soon as the template changes, before any new ReplicaSet exists', () => {
    const state = replay([
      ['ADDED', deployment({generation: 2, observedGeneration: 1, revision: 1, template: {image: OLD_IMAGE}})],
      ['ADDED', replicaSet(HASH, {revision: 1})],
      ['ADDED', pod('a1b2c', [running()])],
    ]);
    expect(currentReplicaSet(state)).toBeUndefined();
    expect(progressOf(state).pods.map((p) => p.current)).toEqual([false]);
  });

  it('marks events recorded after the initial list as live, and forgets deleted ones', () => {
    const subject = pod('a1b2c', [running()]);
    const state = replay([
      ['ADDED', event(subject, 'Pulled', 'Successfully pulled image', {id: 'old', type: 'Normal'})],
      ['synced', 'Event'],
      ['ADDED', event(subject, 'Started', 'Started container app', {id: 'new', type: 'Normal'})],
    ]);
    expect(Object.values(state.events).map(({event: e, live}) => `${e.reason} ${live}`)).toEqual(['Pulled false', 'Started true']);
    const forgotten = replay([['DELETED', event(subject, 'Pulled', 'Successfully pulled image', {id: 'old', type: 'Normal'})]], state);
    expect(Object.keys(forgotten.events)).toHaveLength(1);
  });

  it('returns the same state for a tick that does not move time and for objects of no interest', () => {
    const state = initialState(NAMESPACE, NAME, T0);
    expect(reduce(state, {type: 'tick', at: T0})).toBe(state);
    expect(reduce(state, {type: 'watch', change: 'ADDED', object: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'web'}}, at: T0})).toBe(state);
  });

  it('starts the not-ready clock when a started container runs unready, and stops it when the pod goes', () => {
    const unready = pod('a1b2c', [running('app', false)]);
    const state = replay([['ADDED', unready]]);
    expect(state.notReadySince).toEqual({'pod-7c9d8f5b6d-a1b2c/app': T0 + 1000});
    expect(replay([['MODIFIED', unready]], state).notReadySince).toEqual(state.notReadySince);
    expect(replay([['DELETED', unready]], state).notReadySince).toEqual({});
  });
});
