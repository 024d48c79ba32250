import {describe, expect, it} from '@jest/globals';

import {diagnose, waitingFor} from '../../../src/rollout/diagnosis.ts';
import {progressOf} from '../../../src/rollout/progress.ts';
import {
  deployment,
  event,
  HASH,
  OLD_HASH,
  pod,
  replay,
  replicaSet,
  running,
  synced,
  waiting,
} from './fixtures.ts';

const fresh = replicaSet(HASH, {revision: 1});
const observed = (status: {replicas?: number; updated?: number; ready?: number; available?: number}, replicas = 1) =>
  deployment({generation: 1, observedGeneration: 1, revision: 1, replicas, status});

describe('a rollout that succeeds', () => {
  it('progresses while pods start and completes when every updated replica is available', () => {
    const starting = replay([
      ['ADDED', deployment({replicas: 3})],
      ...synced,
      ['MODIFIED', observed({replicas: 3, updated: 3}, 3)],
      ['ADDED', fresh],
      ['ADDED', pod('a1b2c', undefined)],
      ['ADDED', pod('d3e4f', [waiting('ContainerCreating', '')])],
      ['ADDED', pod('g5h6i', [running('app', true)])],
    ]);
    expect(diagnose(starting).verdict).toBe('progressing');
    expect(waitingFor(starting)).toBe('updated replicas to become available (0 of 3 are): pod web-7c9d8f5b6d-a1b2c is Pending');
    expect(progressOf(starting)).toMatchObject({desired: 3, updated: 3, ready: 0, available: 0});
    expect(progressOf(starting).pods.map((p) => `${p.name} ${p.status} ${p.ready}`)).toEqual([
      'web-7c9d8f5b6d-a1b2c Pending 0/1',
      'web-7c9d8f5b6d-d3e4f ContainerCreating 0/1',
      'web-7c9d8f5b6d-g5h6i Running 1/1',
    ]);

    const done = replay(
      [
        ['MODIFIED', pod('a1b2c', [running()])],
        ['MODIFIED', pod('d3e4f', [running()])],
        ['MODIFIED', observed({replicas: 3, updated: 3, ready: 3, available: 3}, 3)],
      ],
      starting,
    );
    expect(diagnose(done)).toEqual({verdict: 'complete', events: []});
  });

  it('is complete the moment its pods are ready, before the controllers copy that into the Deployment', () => {
    const podsReady: Parameters<typeof replay>[0] = [['ADDED', observed({replicas: 2, updated: 2}, 2)], ['ADDED', fresh], ['ADDED', pod('a1b2c', [running()])], ['ADDED', pod('d3e4f', [running()])]];
    expect(diagnose(replay([...podsReady, ...synced])).verdict).toBe('complete');
    // Not on a partial view: a pod not listed yet could be an old one.
    expect(diagnose(replay(podsReady)).verdict).toBe('progressing');
    // One of the two not ready yet.
    expect(diagnose(replay([...podsReady, ['MODIFIED', pod('d3e4f', [running('app', false)])], ...synced])).verdict).toBe('progressing');
    // With minReadySeconds a ready pod is not yet an available one: the Deployment's word is waited for.
    const minReady = observed({replicas: 2, updated: 2}, 2);
    minReady.spec = {...minReady.spec, minReadySeconds: 10};
    expect(diagnose(replay([['ADDED', minReady], ...podsReady.slice(1), ...synced])).verdict).toBe('progressing');
  });

  it('is complete at once when the apply changed nothing', () => {
    const state = replay([['ADDED', observed({replicas: 1, updated: 1, ready: 1, available: 1})], ...synced]);
    expect(diagnose(state).verdict).toBe('complete');
  });

  it('waits for the old ReplicaSet\'s pods to go before calling a rolling update complete', () => {
    const updating = (status: object) => deployment({generation: 2, observedGeneration: 2, revision: 2, replicas: 2, status});
    const state = replay([
      ['ADDED', updating({replicas: 3, updated: 2, ready: 3, available: 3})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 1, replicas: 0})],
      ['ADDED', replicaSet(HASH, {revision: 2, replicas: 2, ready: 2})],
      ['ADDED', pod('old01', [running()], {hash: OLD_HASH, deleting: true})],
      ['ADDED', pod('new01', [running()])],
      ['ADDED', pod('new02', [running()])],
      ...synced,
    ]);
    expect(diagnose(state).verdict).toBe('progressing');
    expect(waitingFor(state)).toBe('1 old replica to terminate');
    expect(progressOf(state).pods.map((p) => [p.name, p.status, p.current])).toEqual([
      ['web-7c9d8f5b6d-new01', 'Running', true],
      ['web-7c9d8f5b6d-new02', 'Running', true],
      ['web-5f4b7d9c8a-old01', 'Terminating', false],
    ]);
    const done = replay([['DELETED', pod('old01', [running()], {hash: OLD_HASH, deleting: true})], ['MODIFIED', updating({replicas: 2, updated: 2, ready: 2, available: 2})]], state);
    expect(diagnose(done).verdict).toBe('complete');
  });

  it('does not take the old status for completion after a restart until the controller has observed it', () => {
    // `gshift app restart` bumps the template: generation 2, status still about generation 1.
    const restartedAt = {'kubectl.kubernetes.io/restartedAt': '2025-03-04T10:00:00Z'};
    const restarted = (shape: Parameters<typeof deployment>[0]) => deployment({...shape, template: {annotations: restartedAt}});
    const state = replay([
      ['ADDED', restarted({generation: 2, observedGeneration: 1, revision: 1, status: {replicas: 1, updated: 1, ready: 1, available: 1}})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 1, ready: 1, template: {}})],
      ['ADDED', pod('old01', [running()], {hash: OLD_HASH})],
      ...synced,
    ]);
    expect(diagnose(state).verdict).toBe('progressing');
    expect(waitingFor(state)).toBe('the deployment controller to pick up the new spec');

    const rolling = replay(
      [
        ['ADDED', replicaSet(HASH, {revision: 2, template: {annotations: restartedAt}})],
        ['MODIFIED', restarted({generation: 2, observedGeneration: 2, revision: 2, status: {replicas: 2, updated: 1, ready: 1, available: 1}})],
        ['ADDED', pod('new01', [running('app', false)])],
      ],
      state,
    );
    expect(waitingFor(rolling)).toBe('1 old replica to terminate');
    const done = replay(
      [
        ['MODIFIED', pod('new01', [running()])],
        ['DELETED', pod('old01', [running()], {hash: OLD_HASH})],
        ['MODIFIED', restarted({generation: 2, observedGeneration: 2, revision: 2, status: {replicas: 1, updated: 1, ready: 1, available: 1}})],
      ],
      rolling,
    );
    expect(diagnose(done).verdict).toBe('complete');
  });
});

describe('a rollout that fails fast', () => {
  const start = (...steps: Parameters<typeof replay>[0]) => replay([['ADDED', observed({replicas: 1, updated: 1})], ['ADDED', fresh], ...synced, ...steps]);

  it('names the image a pod cannot pull', () => {
    const failing = pod('x2x4k', [waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.org/acme/web:1.4.2"')]);
    const state = start(['ADDED', failing], ['ADDED', event(failing, 'Failed', 'Error: ErrImagePull')], ['ADDED', event(failing, 'BackOff', 'Back-off pulling image "registry.example.org/acme/web:1.4.2"', {type: 'Normal', count: 3})]);
    const diagnosis = diagnose(state);
    expect(diagnosis).toMatchObject({
      verdict: 'failed',
      reason: 'ImagePullBackOff',
      cause: 'Pod web-7c9d8f5b6d-x2x4k: the image "registry.example.org/acme/web:1.4.2" cannot be pulled (ImagePullBackOff).',
      pod: 'web-7c9d8f5b6d-x2x4k',
      container: 'app',
    });
    expect(diagnosis.logSource).toBeUndefined();
    expect(diagnosis.message).toBe('Back-off pulling image "registry.example.org/acme/web:1.4.2"');
    expect(diagnosis.hint).toMatch(/^check the image name and tag/);
    expect(diagnosis.events.map((e) => `${e.reason} x${e.count}`)).toEqual(['Failed x1', 'BackOff x3']);
  });

  it('fails on the first ErrImagePull, before kubelet backs off', () => {
    const state = start(['ADDED', pod('x2x4k', [waiting('ErrImagePull', 'failed to pull and unpack image: not found')])]);
    expect(diagnose(state)).toMatchObject({verdict: 'failed', reason: 'ErrImagePull'});
  });

  it('says a container keeps crashing, with its exit code and restarts, and asks for the previous log', () => {
    const crashing = waiting('CrashLoopBackOff', 'back-off 40s restarting failed container=app', {
      started: false,
      restartCount: 4,
      lastState: {terminated: {exitCode: 1, reason: 'Error', startedAt: '2025-03-04T10:00:40Z', finishedAt: '2025-03-04T10:00:41Z'}},
    });
    const diagnosis = diagnose(start(['ADDED', pod('x2x4k', [crashing], {phase: 'Running'})]));
    expect(diagnosis).toMatchObject({
      reason: 'CrashLoopBackOff',
      cause: 'Pod web-7c9d8f5b6d-x2x4k: container "app" keeps crashing (CrashLoopBackOff, exit code 1, 4 restarts).',
      logSource: 'previous',
    });
    expect(diagnosis.hint).toBe('read why it exits with kubectl logs -n acme-dev web-7c9d8f5b6d-x2x4k -c app --previous, and see its pods with gshift app status web.');
  });

  it('catches a crash loop between back-offs (running again after two restarts) and names an OOM kill', () => {
    const restarted = running('app', false, {restartCount: 2, lastState: {terminated: {exitCode: 137, reason: 'OOMKilled'}}});
    expect(diagnose(start(['ADDED', pod('x2x4k', [restarted])]))).toMatchObject({
      reason: 'CrashLoopBackOff',
      cause: 'Pod web-7c9d8f5b6d-x2x4k: container "app" keeps crashing: it runs out of memory (OOMKilled, 2 restarts).',
    });
  });

  it('does not fail a container that crashed twice on start-up and is ready now', () => {
    const recovered = running('app', true, {restartCount: 2, lastState: {terminated: {exitCode: 1, reason: 'Error'}}});
    // Ready now: complete from the pods, before the Deployment's status says so.
    expect(diagnose(start(['ADDED', pod('x2x4k', [recovered])])).verdict).toBe('complete');
  });

  it('blames a failing liveness probe for restarts', () => {
    const failing = pod('x2x4k', [waiting('CrashLoopBackOff', 'back-off', {restartCount: 3, lastState: {terminated: {exitCode: 137, reason: 'Error'}}})], {phase: 'Running'});
    const state = start(['ADDED', failing], ['ADDED', event(failing, 'Unhealthy', 'Liveness probe failed: Get "http://10.1.0.5:8080/healthz": connection refused', {fieldPath: 'spec.containers{app}'})]);
    expect(diagnose(state).cause).toBe('Pod web-7c9d8f5b6d-x2x4k: container "app" keeps being restarted: its liveness probe fails (CrashLoopBackOff, exit code 137, 3 restarts).');
  });

  it('quotes the missing Secret of a CreateContainerConfigError', () => {
    const state = start(['ADDED', pod('x2x4k', [waiting('CreateContainerConfigError', 'secret "web-db" not found')])]);
    expect(diagnose(state)).toMatchObject({
      reason: 'CreateContainerConfigError',
      cause: 'Pod web-7c9d8f5b6d-x2x4k: container "app" cannot start: secret "web-db" not found (CreateContainerConfigError).',
    });
  });

  it('does not blame the fix for the broken release\'s crashing pods before its ReplicaSet appears', () => {
    // The controller has observed the new spec, but the revision annotation and the ReplicaSets
    // it watches still show only the old, crash-looping release.
    const state = replay([
      ['ADDED', deployment({generation: 2, observedGeneration: 2, revision: 1, status: {replicas: 1, updated: 0}})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 1})],
      ['ADDED', pod('old01', [waiting('CrashLoopBackOff', 'back-off', {restartCount: 9})], {hash: OLD_HASH, phase: 'Running'})],
      ...synced,
    ]);
    expect(diagnose(state).verdict).toBe('progressing');
  });

  it('ignores old pods that crash: they are not this rollout', () => {
    const state = replay([
      ['ADDED', deployment({generation: 2, observedGeneration: 2, revision: 2, status: {replicas: 2, updated: 1}})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 1})],
      ['ADDED', replicaSet(HASH, {revision: 2})],
      ['ADDED', pod('old01', [waiting('CrashLoopBackOff', 'back-off', {restartCount: 9})], {hash: OLD_HASH, phase: 'Running'})],
      ['ADDED', pod('new01', [running('app', false)])],
      ...synced,
    ]);
    expect(diagnose(state).verdict).toBe('progressing');
  });

  it('reports the progress deadline, saying what it was waiting for', () => {
    const state = replay([
      [
        'ADDED',
        deployment({
          observedGeneration: 1,
          revision: 1,
          status: {replicas: 1, updated: 1},
          conditions: [{type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-7c9d8f5b6d" has timed out progressing.'}],
        }),
      ],
      ['ADDED', fresh],
      ['ADDED', pod('x2x4k', undefined, {scheduled: {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.'}})],
      ...synced,
    ]);
    expect(diagnose(state)).toMatchObject({
      verdict: 'failed',
      reason: 'ProgressDeadlineExceeded',
      cause:
        'The rollout made no progress for 600s (ProgressDeadlineExceeded) while waiting for updated replicas to become available (0 of 1 are): pod web-7c9d8f5b6d-x2x4k is not scheduled (0/3 nodes are available: 3 Insufficient cpu).',
    });
  });

  it('reports a Deployment deleted while it was watched', () => {
    const state = start(['DELETED', observed({replicas: 1, updated: 1})]);
    expect(diagnose(state)).toMatchObject({verdict: 'failed', reason: 'DeploymentDeleted'});
  });
});

describe('a ReplicaSet that cannot create pods', () => {
  const rejected = (message: string) =>
    replicaSet(HASH, {revision: 1, conditions: [{type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: '2025-03-04T10:00:01Z'}]});
  const podSecurity =
    'pods "web-7c9d8f5b6d-x2x4k" is forbidden: violates PodSecurity "restricted:latest": privileged (container "app" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)';
  const quota = 'pods "web-7c9d8f5b6d-x2x4k" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=1500m, limited: requests.cpu=2';

  it('reports a Pod Security rejection as the cause', () => {
    const replicaSetObject = rejected(podSecurity);
    const state = replay([
      ['ADDED', observed({replicas: 0, updated: 0})],
      ['ADDED', replicaSetObject],
      ...synced,
      ['ADDED', event(replicaSetObject, 'FailedCreate', `Error creating: ${podSecurity}`, {count: 4})],
    ]);
    const diagnosis = diagnose(state);
    expect(diagnosis).toMatchObject({
      verdict: 'failed',
      reason: 'PodSecurity',
      cause:
        'Pods are rejected by Pod Security "restricted:latest": privileged (container "app" must not set securityContext.privileged=true), allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false).',
      hint: 'the stack templates comply with "restricted"; remove the privileged settings from your overrides.',
    });
    expect(diagnosis.events).toEqual([expect.objectContaining({reason: 'FailedCreate', object: 'ReplicaSet/web-7c9d8f5b6d', count: 4})]);
  });

  it('names the exceeded ResourceQuota', () => {
    const state = replay([['ADDED', observed({replicas: 0, updated: 0})], ['ADDED', rejected(quota)], ...synced]);
    expect(diagnose(state)).toMatchObject({
      reason: 'QuotaExceeded',
      cause: 'The ReplicaSet cannot create pods: the namespace\'s ResourceQuota "compute" is exceeded (requested: requests.cpu=2, used: requests.cpu=1500m, limited: requests.cpu=2).',
      hint: 'raise the quota with gshift tenant update acme --quota …, or request fewer resources for web.',
    });
  });

  it('waits while terminating pods still hold the quota', () => {
    const state = replay([
      ['ADDED', deployment({generation: 2, observedGeneration: 2, revision: 2, status: {replicas: 1, updated: 0}})],
      ['ADDED', replicaSet(OLD_HASH, {revision: 1, replicas: 0})],
      ['ADDED', {...rejected(quota), metadata: {...rejected(quota).metadata, annotations: {'deployment.kubernetes.io/revision': '2'}}}],
      ['ADDED', pod('old01', [running()], {hash: OLD_HASH, deleting: true})],
      ...synced,
    ]);
    expect(diagnose(state).verdict).toBe('progressing');
    expect(waitingFor(state)).toMatch(/^updated replicas \(0 of 1 so far\): the ReplicaSet cannot create pods yet \(old pods still hold quota\)/);
  });

  it('does not fail on a FailedCreate left over from an earlier run, only on one recorded while watching', () => {
    const replicaSetObject = replicaSet(HASH, {revision: 1});
    const old = event(replicaSetObject, 'FailedCreate', `Error creating: ${quota}`, {at: -1_800_000});
    const earlier = replay([['ADDED', observed({replicas: 0, updated: 0})], ['ADDED', replicaSetObject], ['ADDED', old], ...synced]);
    expect(diagnose(earlier).verdict).toBe('progressing');
    const now = replay([['MODIFIED', {...old, count: 2, lastTimestamp: '2025-03-04T10:00:05Z'}]], earlier);
    expect(diagnose(now).reason).toBe('QuotaExceeded');
  });

  it('reports other admission rejections in their own words', () => {
    const state = replay([
      ['ADDED', observed({replicas: 0, updated: 0})],
      ['ADDED', rejected('pods "web-7c9d8f5b6d-x2x4k" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi')],
      ...synced,
    ]);
    expect(diagnose(state)).toMatchObject({reason: 'FailedCreate', cause: 'The ReplicaSet cannot create pods: maximum memory usage per Container is 1Gi, but limit is 2Gi.'});
  });
});

describe('pods that run but never become ready', () => {
  const probe = {httpGet: {path: '/ready', port: 8080}, periodSeconds: 5};
  const unready = () => pod('x2x4k', [running('app', false)], {readinessProbe: probe});
  const start = () =>
    replay([
      ['ADDED', deployment({observedGeneration: 1, revision: 1, status: {replicas: 1, updated: 1}, template: {readinessProbe: probe}})],
      ['ADDED', replicaSet(HASH, {revision: 1, template: {readinessProbe: probe}})],
      ...synced,
      ['ADDED', unready()],
      ['ADDED', event(unready(), 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', {fieldPath: 'spec.containers{app}', count: 3})],
    ]);

  it('waits out the grace, then fails naming the failing readiness probe', () => {
    const state = start();
    expect(diagnose(state).verdict).toBe('progressing');
    expect(waitingFor(state)).toBe(
      'updated replicas to become available (0 of 1 are): pod web-7c9d8f5b6d-x2x4k has container "app" running but not ready (Readiness probe failed: HTTP probe failed with statuscode: 503)',
    );
    expect(diagnose(replay([13_000], state)).verdict).toBe('progressing');
    expect(diagnose(replay([15_000], state))).toMatchObject({
      verdict: 'failed',
      reason: 'NeverReady',
      cause: 'Pod web-7c9d8f5b6d-x2x4k: container "app" is running but never became ready (readiness probe failing: HTTP probe failed with statuscode: 503).',
      logSource: 'current',
    });
  });

  it('honours a shorter or longer grace and the probe\'s initial delay', () => {
    expect(diagnose(replay([6_000], start()), {readyGraceMs: 5_000}).verdict).toBe('progressing');
    expect(diagnose(replay([11_000], start()), {readyGraceMs: 5_000}).verdict).toBe('failed');
    const slow = replay([
      ['ADDED', observed({replicas: 1, updated: 1})],
      ['ADDED', fresh],
      ...synced,
      ['ADDED', pod('x2x4k', [running('app', false)], {readinessProbe: {...probe, initialDelaySeconds: 30}})],
      40_000,
    ]);
    expect(diagnose(slow).verdict).toBe('progressing');
    expect(diagnose(replay([6_000], slow)).reason).toBe('NeverReady');
  });

  it('does not count time before the startup probe passed, nor once the container became ready', () => {
    const starting = replay([['MODIFIED', pod('x2x4k', [running('app', false, {started: false})])], 60_000], start());
    expect(diagnose(starting).verdict).toBe('progressing');
    expect(waitingFor(starting)).toContain('has container "app" starting (startup probe not passed yet)');
    const ready = replay([['MODIFIED', pod('x2x4k', [running()])], 60_000], start());
    expect(diagnose(ready).verdict).toBe('complete');
  });
});
