import {describe, expect, it} from '@jest/globals';

import {digestOfImageId, pinnedImage, replicasOf, repositoryOf, unhealthyReason, urlOf} from '../../../src/app/health.js';
import {currentTemplatePods, runningDigest, tenantOf} from '../../../src/app/promote.js';
import {resolveTarget} from '../../../src/core/target.js';
import type {Deployment, Pod} from '../../../src/rollout/objects.js';

const digest = `sha256:${'ab'.repeat(32)}`;
const other = `sha256:${'cd'.repeat(32)}`;

const deployment = (image: string, status: Deployment['status'] = {observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {name: 'web', generation: 2},
  spec: {replicas: 2, template: {spec: {containers: [{name: 'web', image}]}}},
  status,
});

const pod = (name: string, image: string, imageID: string, options: {ready?: boolean; waiting?: string} = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name},
  spec: {containers: [{name: 'web', image}]},
  status: {
    phase: 'Running',
    containerStatuses: [{name: 'web', image, imageID, ready: options.ready ?? true, state: options.waiting ? {waiting: {reason: options.waiting}} : {running: {}}} as never],
  },
});

describe('image digests', () => {
  it('finds the digest in every spelling runtimes use for imageID', () => {
    expect(digestOfImageId(`docker-pullable://quay.io/shop/web@${digest}`)).toBe(digest);
    expect(digestOfImageId(`quay.io/shop/web:1.0@${digest}`)).toBe(digest);
    expect(digestOfImageId(digest)).toBe(digest);
    expect(digestOfImageId(`quay.io/shop/web@${other}@${digest}`)).toBe(digest);
    expect(digestOfImageId('')).toBeUndefined();
    expect(digestOfImageId('quay.io/shop/web:1.0')).toBeUndefined();
  });

  it('pins the repository to the digest, dropping tag and old digest but keeping a registry port', () => {
    expect(repositoryOf('registry.local:5000/shop/web:1.0')).toBe('registry.local:5000/shop/web');
    expect(repositoryOf(`quay.io/shop/web@${other}`)).toBe('quay.io/shop/web');
    expect(pinnedImage('quay.io/shop/web:1.0', digest)).toBe(`quay.io/shop/web@${digest}`);
  });
});

describe('what promote takes from the source', () => {
  it('takes the one digest the ready pods of the current template run', () => {
    const pods = [pod('a', 'quay.io/shop/web:1.0', `quay.io/shop/web@${digest}`), pod('b', 'quay.io/shop/web:1.0', `quay.io/shop/web@${digest}`), pod('old', 'quay.io/shop/web:0.9', `x@${other}`)];
    const current = currentTemplatePods(deployment('quay.io/shop/web:1.0'), pods);
    expect(current.map((item) => item.metadata.name)).toEqual(['a', 'b']);
    expect(runningDigest(deployment('quay.io/shop/web:1.0'), current)).toEqual({image: 'quay.io/shop/web:1.0', digest});
  });

  it('refuses when pods of the same tag run different digests (the tag moved mid-rollout)', () => {
    const pods = [pod('a', 'web:1', `web@${digest}`), pod('b', 'web:1', `web@${other}`)];
    expect(() => runningDigest(deployment('web:1'), pods)).toThrow(/different image digests/);
  });

  it('refuses when no ready pod reports a digest', () => {
    expect(() => runningDigest(deployment('web:1'), [pod('a', 'web:1', '')])).toThrow(/No ready pod of web reports the digest/);
    expect(() => runningDigest(deployment('web:1'), [pod('a', 'web:1', `web@${digest}`, {ready: false})])).toThrow(/No ready pod of web reports the digest/);
  });

  it('with --force, takes the digest an unready or crashing container reports when no pod is ready', () => {
    const crashing = [pod('a', 'web:1', `web@${digest}`, {ready: false, waiting: 'CrashLoopBackOff'}), pod('b', 'web:1', '', {ready: false, waiting: 'ImagePullBackOff'})];
    expect(runningDigest(deployment('web:1'), crashing, {force: true})).toEqual({image: 'web:1', digest});
    const mixed = [pod('a', 'web:1', `web@${digest}`), pod('b', 'web:1', `web@${other}`, {ready: false})];
    expect(runningDigest(deployment('web:1'), mixed, {force: true})).toEqual({image: 'web:1', digest});
    expect(() => runningDigest(deployment('web:1'), [pod('a', 'web:1', '', {ready: false})], {force: true})).toThrow(/No pod of web reports the digest/);
  });

  it("reads the tenant from --tenant, else from the namespace's environment suffix", () => {
    const config = {environments: ['dev', 'test', 'acc', 'prod']};
    const target = (flags: {namespace?: string; tenant?: string; env?: string}) => ({target: resolveTarget({flags, config})});
    expect(tenantOf(target({namespace: 'x', tenant: 'shop', env: 'dev'}))).toBe('shop');
    expect(tenantOf(target({namespace: 'web-shop-dev'}))).toBe('web-shop');
    expect(() => tenantOf(target({namespace: 'sandbox'}))).toThrow(/cannot tell the tenant/);
  });
});

describe('health', () => {
  it("is healthy when kubectl's rollout-status rule holds and no pod is failing", () => {
    expect(replicasOf(deployment('web:1')).complete).toBe(true);
    expect(unhealthyReason(deployment('web:1'), [pod('a', 'web:1', '')])).toBeUndefined();
  });

  it('names what is wrong: unavailable replicas and failing pods', () => {
    const status = {observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1};
    expect(unhealthyReason(deployment('web:1', status), [pod('a', 'web:1', ''), pod('b', 'web:1', '', {ready: false, waiting: 'CrashLoopBackOff'})])).toBe(
      '1 of 2 replicas available; b is CrashLoopBackOff',
    );
  });

  it('names a crash-looping pod caught in its running moment between back-offs: running, not ready', () => {
    const status = {observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1};
    const restarting = pod('a', 'web:1', '', {ready: false});
    (restarting.status!.containerStatuses![0] as {restartCount?: number}).restartCount = 3;
    expect(unhealthyReason(deployment('web:1', status), [pod('b', 'web:1', ''), restarting])).toBe('1 of 2 replicas available; a is Running (0/1 ready, 3 restarts)');
  });

  it('is not healthy while the controller has not seen the latest spec', () => {
    expect(replicasOf(deployment('web:1', {observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2})).complete).toBe(false);
  });
});

describe('URLs', () => {
  it("uses the Route's admitted host, else its spec host, with https for edge TLS", () => {
    expect(urlOf({apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: {name: 'web'}, spec: {host: 'a.example', tls: {termination: 'edge'}}, status: {ingress: [{host: 'b.example'}]}})).toBe('https://b.example');
    expect(urlOf({apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: {name: 'web'}, spec: {host: 'a.example'}})).toBe('http://a.example');
    expect(urlOf({apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: {name: 'web'}, spec: {}})).toBeUndefined();
  });

  it("uses an Ingress rule's host", () => {
    expect(urlOf({apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'web'}, spec: {rules: [{host: 'web.example'}]}})).toBe('http://web.example');
  });
});
