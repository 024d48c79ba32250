import {isDeepStrictEqual} from 'node:util';

import {usageError} from '../errors.js';
import type {StandardMode, StackDescriptor} from './descriptor.js';
import type {KubeObject} from './template.js';

/** Kinds whose pods gshift shapes; their pod template is at spec.template. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'DeploymentConfig', 'Job']);

type Json = Record<string, any>;

export interface StandardsContext {
  descriptor: StackDescriptor;
  mode: (standard: 'resources' | 'probes' | 'rollingUpdate' | 'highAvailability') => StandardMode;
  platform: 'openshift' | 'kubernetes';
  /** Replicas for the workload, when gshift decides them (undefined: leave the template's). */
  replicas?: number;
  /** Spread pods over nodes (high-availability environments). */
  spread: boolean;
}

// Used only when a template gives a container no resources at all: small, and a memory limit
// so one pod cannot take a node down. Ephemeral storage (emptyDirs, the writable layer, logs)
// gets a limit for the same reason: one pod must not fill a node's disk.
const DEFAULT_REQUESTS = {cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi'};
const DEFAULT_LIMITS = {memory: '512Mi', 'ephemeral-storage': '1Gi'};

/**
 * On plain Kubernetes nothing assigns a UID the way OpenShift's SCC does, and an image's own
 * USER (1001 for UBI) may be a host user's ID. gshift runs every pod as this UID and GID instead:
 * above 10000, so it collides with no host account, and the same for every image.
 */
export const KUBERNETES_RUN_AS = 10001;

/** Applies the platform standards to one workload, in place (it is a fresh copy from processing). */
export function applyStandards(workload: KubeObject, context: StandardsContext): void {
  const spec = (workload.spec ??= {}) as Json;
  const pod = ((spec.template ??= {}).spec ??= {}) as Json;
  const where = `${workload.kind} ${workload.metadata.name ?? ''}`.trim();
  applyPodSecurity(pod, where, context.platform);
  const containers: Json[] = pod.containers ?? [];
  if (containers.length === 0) throw usageError(`The stack's ${where} has no containers.`, 'add a container to the template.');
  if (context.mode('resources') === 'enforced') containers.forEach(ensureResources);
  if (context.mode('probes') === 'enforced') {
    ensureProbes(containers[0]!, context.descriptor, where);
    separateLiveness(containers[0]!);
  }
  if (workload.kind === 'Deployment') applyRolloutStrategy(spec, context.mode('rollingUpdate'));
  if (context.mode('highAvailability') === 'exempt') return;
  if (context.replicas !== undefined && workload.kind !== 'DaemonSet' && workload.kind !== 'Job') spec.replicas = context.replicas;
  if (context.spread) pod.topologySpreadConstraints = spreadConstraints(spec.selector);
}

/**
 * Pod Security "restricted": non-root, no privilege escalation, no capabilities but
 * NET_BIND_SERVICE, RuntimeDefault seccomp. On OpenShift no fixed UID or GID: the SCC assigns
 * them from the namespace's range and rejects others. On Kubernetes the pod runs as
 * KUBERNETES_RUN_AS, in group 0 as well, as OpenShift runs it.
 */
function applyPodSecurity(pod: Json, where: string, platform: StandardsContext['platform']): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[field]) throw restrictedError(where, `sets ${field}`);
  }
  const hostPath = (pod.volumes ?? []).find((volume: Json) => volume.hostPath);
  if (hostPath) throw restrictedError(where, `mounts the host path volume ${hostPath.name}`);
  const security = (pod.securityContext ??= {}) as Json;
  delete security.runAsUser;
  delete security.runAsGroup;
  delete security.supplementalGroups;
  security.runAsNonRoot = true;
  if (platform === 'kubernetes') {
    security.runAsUser = KUBERNETES_RUN_AS;
    security.runAsGroup = KUBERNETES_RUN_AS;
    // UBI and sclorg images keep what they write group-0 writable for OpenShift's arbitrary UIDs.
    security.supplementalGroups = [0];
  }
  security.seccompProfile = {type: 'RuntimeDefault'};
  // UBI and sclorg images keep their data directories group-writable for group 0.
  // OpenShift sets fsGroup itself; on Kubernetes a volume claim needs it to be writable.
  const hasClaim = (pod.volumes ?? []).some((volume: Json) => volume.persistentVolumeClaim);
  if (platform === 'kubernetes' && hasClaim && security.fsGroup === undefined) {
    security.fsGroup = 0;
    security.fsGroupChangePolicy = 'OnRootMismatch';
  }
  if (platform === 'openshift') delete security.fsGroup;
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])] as Json[]) {
    if ((container.ports ?? []).some((port: Json) => port.hostPort)) throw restrictedError(where, `gives container ${container.name} a hostPort`);
    const context = (container.securityContext ??= {}) as Json;
    delete context.runAsUser;
    delete context.runAsGroup;
    delete context.privileged;
    context.allowPrivilegeEscalation = false;
    context.runAsNonRoot = true;
    const added = (context.capabilities?.add ?? []).filter((capability: string) => capability === 'NET_BIND_SERVICE');
    context.capabilities = {drop: ['ALL'], ...(added.length > 0 ? {add: added} : {})};
    context.seccompProfile = {type: 'RuntimeDefault'};
  }
}

function restrictedError(where: string, what: string) {
  return usageError(`The stack's ${where} ${what}, which Pod Security "restricted" forbids.`, 'remove it from the template: the platform runs every pod under the restricted standard.');
}

/**
 * Every container gets CPU, memory and ephemeral-storage requests and memory and
 * ephemeral-storage limits; the values stay the team's.
 */
function ensureResources(container: Json): void {
  const resources = (container.resources ??= {}) as Json;
  const requests = (resources.requests ??= {}) as Json;
  const limits = (resources.limits ??= {}) as Json;
  requests.cpu ??= DEFAULT_REQUESTS.cpu;
  // A team's own request is also its limit; only a defaulted request gets the default limit.
  // (Kubernetes itself defaults a missing request to the limit.)
  for (const resource of ['memory', 'ephemeral-storage'] as const) {
    const limitGiven = limits[resource] !== undefined;
    limits[resource] ??= requests[resource] ?? DEFAULT_LIMITS[resource];
    requests[resource] ??= limitGiven ? limits[resource] : DEFAULT_REQUESTS[resource];
  }
}

// Liveness restarts the container, so it fails later than readiness: a minute and a half of
// failures (after a slow request, a full GC) before a restart, where readiness gives 30 s.
const LENIENT_LIVENESS = {periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 6};
const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

/** Readiness, liveness and startup probes on the main container: the template's, else from the descriptor. */
function ensureProbes(container: Json, descriptor: StackDescriptor, where: string): void {
  if (container.readinessProbe && container.livenessProbe && container.startupProbe) return;
  const health = descriptor.health;
  const port = health.port ?? container.ports?.[0]?.name ?? container.ports?.[0]?.containerPort;
  if (port === undefined) {
    throw usageError(`The stack's ${where} has no probes and no container port to probe.`, 'add readiness, liveness and startup probes to the template, or a container port.');
  }
  const check = (path?: string) => (path ? {httpGet: {path, port}} : {tcpSocket: {port}});
  container.startupProbe ??= {...check(health.live), periodSeconds: 5, failureThreshold: 60};
  container.readinessProbe ??= {...check(health.ready), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3};
  container.livenessProbe ??= {...check(health.live), ...LENIENT_LIVENESS};
}

/**
 * Liveness must not ask what readiness asks: an app that is alive but busy (or waiting on its
 * database) would be restarted instead of taken out of the Service. A liveness check identical to
 * readiness becomes a lenient TCP check on the same port, whether the port answers at all.
 */
function separateLiveness(container: Json): void {
  const {readinessProbe: ready, livenessProbe: live} = container;
  const handler = (probe: Json) => PROBE_HANDLERS.find((key) => probe[key] !== undefined);
  const kind = handler(ready ?? {});
  if (!ready || !live || kind === undefined || kind !== handler(live) || !isDeepStrictEqual(ready[kind], live[kind])) return;
  const port = ready[kind].port ?? container.ports?.[0]?.name ?? container.ports?.[0]?.containerPort;
  if (port === undefined || kind === 'grpc') return;
  const {[kind]: _same, ...timing} = live;
  container.livenessProbe = {
    ...LENIENT_LIVENESS,
    ...timing,
    tcpSocket: {port},
    failureThreshold: Math.max(timing.failureThreshold ?? 0, LENIENT_LIVENESS.failureThreshold),
  };
}

/** New pods must be ready before old ones go: maxUnavailable 0. */
function applyRolloutStrategy(spec: Json, mode: StandardMode): void {
  if (mode === 'exempt' || (mode === 'relaxable' && spec.strategy)) return;
  const surge = spec.strategy?.rollingUpdate?.maxSurge ?? 1;
  spec.strategy = {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: surge === 0 || surge === '0%' ? 1 : surge}};
}

/** Never two replicas on one node when another node can take them; zones when the cluster has them. */
function spreadConstraints(selector: Json | undefined): Json[] {
  const labelSelector = selector?.matchLabels ? {matchLabels: selector.matchLabels} : selector;
  return [
    {maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector},
    {maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector},
  ];
}

/**
 * Adds labels to an object and to its pod template. A label a selector uses keeps its value,
 * so the labels never change what a Deployment or Service selects.
 */
export function applyLabels(object: KubeObject, labels: Record<string, string>): void {
  object.metadata.labels = {...object.metadata.labels, ...labels};
  if (!WORKLOAD_KINDS.has(object.kind)) return;
  const spec = object.spec as Json | undefined;
  const template = spec?.template;
  if (!template) return;
  const selected = (spec?.selector?.matchLabels ?? (object.kind === 'DeploymentConfig' ? spec?.selector : undefined) ?? {}) as Record<string, string>;
  template.metadata ??= {};
  template.metadata.labels = {...template.metadata.labels, ...labels, ...selected};
}
