// The platform standards hold for every built-in stack, in every environment, on both
// platforms: what a team gets without asking (issue: "Platform standards in every stack").
import {describe, expect, test} from '@jest/globals';

import {listStackEntries, loadStackEntry} from '../../../src/render/catalogue.js';
import {renderAppDetailed} from '../../../src/render/compose.js';
import {checkDescriptor, standardMode} from '../../../src/render/descriptor.js';
import {KUBERNETES_RUN_AS} from '../../../src/render/standards.js';
import type {KubeObject} from '../../../src/render/template.js';
import {documentedExceptions, exceptionsFor} from './documented-exceptions.ts';

const HA_ENVIRONMENTS = ['acc', 'prod'];
const cases = listStackEntries()
  .map((entry) => entry.name)
  .flatMap((stack) => ['dev', 'test', 'acc', 'prod'].flatMap((env) => (['openshift', 'kubernetes'] as const).map((platform) => [stack, env, platform] as const)));

const GSHIFT_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of', 'gshift.io/tenant', 'gshift.io/env', 'gshift.io/stack', 'gshift.io/app'];

const render = (stack: string, env: string, platform: 'openshift' | 'kubernetes') =>
  renderAppDetailed({name: 'probe', stack, env, platform, tenant: 'shop', namespace: `shop-${env}`, haEnvironments: HA_ENVIRONMENTS});

// Stacks whose root filesystem stays writable, each with its reason in docs/templates.md.
const writableRoot = (stack: string) =>
  exceptionsFor(documentedExceptions(listStackEntries().map((entry) => entry.name)), stack, 'kubernetes').some((exception) => exception.check === 'container-security-context-readonlyrootfilesystem');

/**
 * Every securityContext field Pod Security "restricted" looks at. No fixed UID or GID on
 * OpenShift (the SCC assigns one); a high one on Kubernetes, in group 0 as OpenShift runs it.
 */
function expectRestricted(pod: any, platform: 'openshift' | 'kubernetes'): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod[field]).toBeFalsy();
  expect((pod.volumes ?? []).filter((volume: any) => volume.hostPath)).toEqual([]);
  expect(pod.securityContext).toMatchObject({runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}});
  if (platform === 'openshift') {
    expect(pod.securityContext.runAsUser).toBeUndefined();
    expect(pod.securityContext.runAsGroup).toBeUndefined();
    expect(pod.securityContext.fsGroup).toBeUndefined();
  } else {
    expect(pod.securityContext).toMatchObject({runAsUser: KUBERNETES_RUN_AS, runAsGroup: KUBERNETES_RUN_AS, supplementalGroups: [0]});
    expect(KUBERNETES_RUN_AS).toBeGreaterThan(10000);
  }
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    const context = container.securityContext;
    expect(context).toMatchObject({allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}});
    expect(context.privileged).toBeFalsy();
    expect(context.runAsUser).toBeUndefined();
    expect(context.runAsGroup).toBeUndefined();
    expect(context.runAsNonRoot).not.toBe(false);
    expect(context.seccompProfile?.type ?? 'RuntimeDefault').toBe('RuntimeDefault');
    expect((context.capabilities.add ?? []).filter((capability: string) => capability !== 'NET_BIND_SERVICE')).toEqual([]);
    expect((container.ports ?? []).filter((port: any) => port.hostPort)).toEqual([]);
  }
}

describe('platform standards in every built-in stack', () => {
  test.each(cases)('%s in %s on %s', async (stack, env, platform) => {
    const {objects} = await render(stack, env, platform);
    const entry = listStackEntries().find((candidate) => candidate.name === stack)!;
    const {descriptor} = await loadStackEntry(entry);
    const byKind = (kind: string) => objects.filter((object: KubeObject) => object.kind === kind);
    const [deployment] = byKind('Deployment');
    const spec = deployment!.spec as any;
    const pod = spec.template.spec;

    for (const object of objects) {
      for (const label of GSHIFT_LABELS) expect(object.metadata.labels).toHaveProperty([label]);
      expect(object.metadata.labels).toMatchObject({'gshift.io/tenant': 'shop', 'gshift.io/env': env, 'gshift.io/stack': stack, 'gshift.io/app': 'probe', 'app.kubernetes.io/managed-by': 'gshift'});
    }
    for (const label of GSHIFT_LABELS) expect(spec.template.metadata.labels).toHaveProperty([label]);
    expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);

    expectRestricted(pod, platform);
    for (const container of pod.containers) {
      expect(container.resources.requests).toEqual(expect.objectContaining({cpu: expect.anything(), memory: expect.anything(), 'ephemeral-storage': expect.anything()}));
      expect(container.resources.limits).toEqual(expect.objectContaining({cpu: expect.anything(), memory: expect.anything(), 'ephemeral-storage': expect.anything()}));
      // Pinned to a version: a tag that is not `latest`, or a digest.
      expect(container.image).toMatch(/(:(?!latest$)[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(container.securityContext.readOnlyRootFilesystem ?? false).toBe(!writableRoot(stack));
    }
    if (!writableRoot(stack)) {
      const scratch = (pod.volumes ?? []).filter((volume: any) => volume.emptyDir).map((volume: any) => volume.name);
      const tmp = pod.containers[0].volumeMounts.find((mount: any) => mount.mountPath === '/tmp');
      expect(scratch).toContain(tmp?.name);
    }
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(pod.containers[0][probe]).toBeDefined();
    // Liveness asks its own question, and gives up later than readiness.
    const {readinessProbe: ready, livenessProbe: live} = pod.containers[0];
    expect({...live, periodSeconds: undefined, timeoutSeconds: undefined, failureThreshold: undefined}).not.toEqual({...ready, periodSeconds: undefined, timeoutSeconds: undefined, failureThreshold: undefined});
    expect(live.periodSeconds * live.failureThreshold).toBeGreaterThan(ready.periodSeconds * ready.failureThreshold);

    if (standardMode(descriptor, 'rollingUpdate') === 'exempt') expect(spec.strategy).toEqual({type: 'Recreate'});
    else expect(spec.strategy).toMatchObject({type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0}});

    const highAvailability = HA_ENVIRONMENTS.includes(env) && standardMode(descriptor, 'highAvailability') !== 'exempt';
    if (highAvailability) {
      expect(byKind('HorizontalPodAutoscaler')[0]!.spec).toMatchObject({minReplicas: expect.any(Number), scaleTargetRef: {kind: 'Deployment', name: 'probe'}});
      expect((byKind('HorizontalPodAutoscaler')[0]!.spec as any).minReplicas).toBeGreaterThanOrEqual(2);
      expect(byKind('PodDisruptionBudget')[0]!.spec).toEqual({maxUnavailable: 1, selector: spec.selector});
      expect(pod.topologySpreadConstraints).toContainEqual(expect.objectContaining({topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {matchLabels: spec.selector.matchLabels}}));
    } else {
      expect(spec.replicas).toBe(1);
      expect(byKind('PodDisruptionBudget')).toEqual([]);
      expect(byKind('HorizontalPodAutoscaler')).toEqual([]);
      expect(pod.topologySpreadConstraints).toBeUndefined();
    }
    const expose = byKind(platform === 'openshift' ? 'Route' : 'Ingress');
    expect(expose).toHaveLength(descriptor.parts.includes('expose') ? 1 : 0);
    expect(byKind(platform === 'openshift' ? 'Ingress' : 'Route')).toEqual([]);
  });

  test('every standard a built-in stack does not enforce says why', async () => {
    for (const entry of listStackEntries()) {
      const {descriptor} = await loadStackEntry(entry);
      for (const [standard, reason] of Object.entries(descriptor.standards.exempt)) expect(`${entry.name} ${standard}: ${reason}`).toMatch(/: \S.{20,}/);
      expect(descriptor.standards.relaxable).toEqual([]);
    }
  });

  test.each(['podSecurity', 'labels'])('no descriptor can relax or exempt %s', (standard) => {
    expect(() => checkDescriptor({kind: 'app', standards: {relaxable: [standard]}}, 'stack.yaml', 'x')).toThrow(`cannot relax or exempt ${standard}`);
    expect(() => checkDescriptor({kind: 'app', standards: {exempt: {[standard]: 'we would rather not'}}}, 'stack.yaml', 'x')).toThrow(`cannot relax or exempt ${standard}`);
  });
});
