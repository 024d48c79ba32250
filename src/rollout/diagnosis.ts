/**
 * The verdict on a rollout from what the watches have shown so far: complete as kubectl's
 * `rollout status` decides it (observedGeneration, updated, old and available replicas), failed as
 * soon as waiting cannot help (a pod that cannot pull, start or stay up, a ReplicaSet that cannot
 * create pods, the progress deadline), else progressing — with what it is still waiting for.
 */
import {APP_LABEL, INSTANCE_LABEL, TENANT_LABEL} from '../core/labels.js';
import {conditionOf, eventTime, type KubeEvent, type Pod} from './objects.js';
import {DEFAULT_READY_GRACE_MS, podBlocker, podFailure, type PodFailure, type PodFailureReason} from './pod-failures.js';
import {currentPods, currentReplicaSet, eventsAbout, isTerminating, oldPods, specObserved, type RolloutState, type TrackedEvent} from './state.js';
import {byCodePoint} from '../core/order.js';

export type FailureReason =
  | PodFailureReason
  | 'PodSecurity'
  | 'SecurityContextConstraints'
  | 'QuotaExceeded'
  | 'FailedCreate'
  | 'ProgressDeadlineExceeded'
  | 'DeploymentDeleted';

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  /** "Pod/web-7c9d8-x2x4k" */
  object: string;
  count: number;
  /** ISO time it last happened, as the recorder saw it. */
  lastSeen?: string;
}

export interface Diagnosis {
  verdict: 'progressing' | 'complete' | 'failed';
  reason?: FailureReason;
  /** One sentence: what is wrong, naming the pod and container when there is one. */
  cause?: string;
  /** The next step, lower-case and imperative. */
  hint?: string;
  pod?: string;
  container?: string;
  /** Which instance of the container's log explains the failure (none for containers that never ran). */
  logSource?: 'current' | 'previous';
  /** kubelet's message about the container, when the cause sentence leaves detail out. */
  message?: string;
  /** The events behind the verdict, oldest first. */
  events: EventSummary[];
}

export interface DiagnoseOptions {
  /** See DEFAULT_READY_GRACE_MS. */
  readyGraceMs?: number;
  /** The gshift app name for hints; default the Deployment's gshift.io/app label, else its name. */
  app?: string;
}

type Failure = Omit<Diagnosis, 'verdict' | 'events'> & {reason: FailureReason; cause: string; evidence: TrackedEvent[]};

export function diagnose(state: RolloutState, options: DiagnoseOptions = {}): Diagnosis {
  const deployment = state.deployment;
  if (!deployment) {
    if (!state.deploymentDeleted) return {verdict: 'progressing', events: []};
    return {
      verdict: 'failed',
      reason: 'DeploymentDeleted',
      cause: `The Deployment "${state.name}" was deleted while its rollout was being watched.`,
      hint: 'run the same command again to recreate it.',
      events: [],
    };
  }
  if (!specObserved(state)) return {verdict: 'progressing', events: []};
  const specific = podFailures(state, options) ?? createFailure(state, options);
  const progressing = conditionOf(deployment.status?.conditions, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return failed(state, specific ?? deadlineFailure(state, options));
  if (isComplete(state) || podsComplete(state)) return {verdict: 'complete', events: []};
  return specific ? failed(state, specific) : {verdict: 'progressing', events: []};
}

/** kubectl's rule: all replicas updated, no old ones left, all updated ones available. */
function isComplete(state: RolloutState): boolean {
  const deployment = state.deployment!;
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  return updated >= desired && (status.replicas ?? 0) <= updated && (status.availableReplicas ?? 0) >= updated;
}

/**
 * The same rule read from the pods, which show it first: a pod turns ready, the ReplicaSet
 * controller counts it, then the deployment controller copies the count into the Deployment's
 * status, tens of milliseconds later. On complete lists only, and only without minReadySeconds
 * (a ready pod is an available one then): as many running pods of the current template as
 * desired, all ready, and no pod of an older ReplicaSet left, not even a terminating one.
 */
function podsComplete(state: RolloutState): boolean {
  const deployment = state.deployment!;
  if ((deployment.spec?.minReadySeconds ?? 0) > 0 || !state.synced.Pod || !state.synced.ReplicaSet) return false;
  const current = currentPods(state).filter((pod) => !isTerminating(pod));
  return current.length === (deployment.spec?.replicas ?? 1) && current.every(isReady) && oldPods(state).length === 0;
}

const isReady = (pod: Pod) => conditionOf(pod.status?.conditions, 'Ready')?.status === 'True';

function failed(state: RolloutState, failure: Failure): Diagnosis {
  const {evidence, ...rest} = failure;
  return {verdict: 'failed', ...rest, events: summarizeEvents(evidence)};
}

function appName(state: RolloutState, options: DiagnoseOptions): string {
  const labels = state.deployment?.metadata.labels ?? {};
  return options.app ?? labels[APP_LABEL] ?? labels[INSTANCE_LABEL] ?? state.name;
}

function podFailures(state: RolloutState, options: DiagnoseOptions): Failure | undefined {
  for (const pod of currentPods(state)) {
    if (isTerminating(pod)) continue;
    const failure = podFailure(pod, state, options.readyGraceMs ?? DEFAULT_READY_GRACE_MS);
    if (failure) return {...failure, hint: podHint(failure, appName(state, options), state.namespace), evidence: eventsAbout(state, pod)};
  }
  return undefined;
}

/** The whole log of the failing container: the diagnosis shows only its last lines. */
const fullLog = (failure: PodFailure, namespace: string) =>
  `kubectl logs -n ${namespace} ${failure.pod} -c ${failure.container}${failure.logSource === 'previous' ? ' --previous' : ''}`;

function podHint(failure: PodFailure, app: string, namespace: string): string {
  switch (failure.reason) {
    case 'ErrImagePull':
    case 'ImagePullBackOff':
    case 'ErrImageNeverPull':
    case 'InvalidImageName':
      return 'check the image name and tag, and that the registry is reachable from the cluster (and, if it is private, that a pull secret is set).';
    case 'CreateContainerConfigError':
      return `create the Secret or ConfigMap the app refers to, or fix the reference; gshift app status ${app} shows the pod.`;
    case 'CreateContainerError':
    case 'RunContainerError':
      return `fix what the message names (command, volume or security settings) and deploy again; gshift app status ${app} shows the pod.`;
    case 'CrashLoopBackOff':
      return `read why it exits with ${fullLog(failure, namespace)}, and see its pods with gshift app status ${app}.`;
    case 'NeverReady':
      return `check that the app answers its readiness probe (path and port), with gshift app status ${app} and ${fullLog(failure, namespace)}.`;
  }
}

/** A ReplicaSet that cannot create pods: admission (Pod Security, SCC, quota, LimitRange) said no. */
function createFailure(state: RolloutState, options: DiagnoseOptions): Failure | undefined {
  const replicaSet = currentReplicaSet(state);
  if (!replicaSet) return undefined;
  // The ReplicaSet's own condition: the Deployment's copy can still be about the previous one.
  const condition = conditionOf(replicaSet.status?.conditions, 'ReplicaFailure');
  const failedCreates = eventsAbout(state, replicaSet).filter(({event}) => event.reason === 'FailedCreate');
  // An old FailedCreate (from a run before the quota was raised, say) only counts while the
  // ReplicaSet still reports the failure; one recorded while we watch counts by itself.
  const message = (condition?.status === 'True' ? condition.message : undefined) ?? failedCreates.filter((tracked) => tracked.live).at(-1)?.event.message;
  if (!message) return undefined;
  const classified = classifyCreateFailure(message, {app: appName(state, options), tenant: state.deployment?.metadata.labels?.[TENANT_LABEL]});
  // Quota held by pods that are on their way out will be released: wait for them.
  if (classified.reason === 'QuotaExceeded' && Object.values(state.pods).some(isTerminating)) return undefined;
  return {...classified, evidence: [...failedCreates, ...eventsAbout(state, state.deployment!).filter(({event}) => event.type === 'Warning')]};
}

export function classifyCreateFailure(message: string, {app, tenant}: {app: string; tenant?: string}): Pick<Failure, 'reason' | 'cause' | 'hint'> {
  const raiseQuota = `gshift tenant update ${tenant ?? 'TENANT'} --quota …`;
  const detail = message.replace(/^Error creating:\s*/, '').replace(/^pods? (".*?" )?is forbidden:\s*/, '').trim().replace(/\.$/, '');
  const podSecurity = /violates PodSecurity "([^"]+)":\s*([\s\S]*)/.exec(detail);
  if (podSecurity) {
    return {
      reason: 'PodSecurity',
      cause: `Pods are rejected by Pod Security "${podSecurity[1]}": ${podSecurity[2]}.`,
      hint: 'the stack templates comply with "restricted"; remove the privileged settings from your overrides.',
    };
  }
  const quota = /exceeded quota: ([^,]+),\s*([\s\S]*)/.exec(detail);
  if (quota) {
    return {
      reason: 'QuotaExceeded',
      cause: `The ReplicaSet cannot create pods: the namespace's ResourceQuota "${quota[1]}" is exceeded (${quota[2]}).`,
      hint: `raise the quota with ${raiseQuota}, or request fewer resources for ${app}.`,
    };
  }
  const quotaRule = /failed quota: ([^:]+):\s*([\s\S]*)/.exec(detail);
  if (quotaRule) {
    return {
      reason: 'QuotaExceeded',
      cause: `The ReplicaSet cannot create pods: the namespace's ResourceQuota "${quotaRule[1]}" rejects them (${quotaRule[2]}).`,
      hint: `set CPU and memory requests and limits for ${app}, or change the quota with ${raiseQuota}.`,
    };
  }
  if (/security context constraint/i.test(detail)) {
    return {
      reason: 'SecurityContextConstraints',
      cause: `Pods are rejected by OpenShift's security context constraints: ${detail}.`,
      hint: 'the stack templates run under "restricted-v2"; remove the privileged settings from your overrides.',
    };
  }
  return {reason: 'FailedCreate', cause: `The ReplicaSet cannot create pods: ${detail}.`, hint: `fix what the message names in the configuration of ${app} and deploy again.`};
}

function deadlineFailure(state: RolloutState, options: DiagnoseOptions): Failure {
  const seconds = state.deployment?.spec?.progressDeadlineSeconds ?? 600;
  const app = appName(state, options);
  const replicaSet = currentReplicaSet(state);
  const evidence = [...eventsAbout(state, state.deployment!), ...(replicaSet ? eventsAbout(state, replicaSet) : [])];
  for (const pod of currentPods(state)) evidence.push(...eventsAbout(state, pod).filter(({event}) => event.type === 'Warning'));
  const still = waitingFor(state, options);
  return {
    reason: 'ProgressDeadlineExceeded',
    cause: `The rollout made no progress for ${seconds}s (ProgressDeadlineExceeded) while waiting for ${still}.`,
    hint: `see what the pods are doing with gshift app status ${app}.`,
    evidence,
  };
}

const EVENT_LIMIT = 8;

/** Newest last, repeats folded, at most EVENT_LIMIT. */
export function summarizeEvents(tracked: TrackedEvent[]): EventSummary[] {
  const folded = new Map<string, EventSummary>();
  for (const {event} of tracked) {
    const summary = summarizeEvent(event);
    const key = `${summary.object}|${summary.reason}|${summary.message}`;
    const seen = folded.get(key);
    if (!seen || (summary.lastSeen ?? '') >= (seen.lastSeen ?? '')) {
      folded.set(key, seen ? {...summary, count: Math.max(summary.count, seen.count)} : summary);
    }
  }
  return [...folded.values()].sort((a, b) => byCodePoint(a.lastSeen ?? '', b.lastSeen ?? '')).slice(-EVENT_LIMIT);
}

function summarizeEvent(event: KubeEvent): EventSummary {
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: (event.message ?? '').trim(),
    object: `${event.involvedObject?.kind ?? '?'}/${event.involvedObject?.name ?? '?'}`,
    count: event.series?.count ?? event.count ?? 1,
    lastSeen: eventTime(event),
  };
}

/** What the rollout is still waiting for, to follow "waiting for": the timeout message's object. */
export function waitingFor(state: RolloutState, _options: DiagnoseOptions = {}): string {
  const deployment = state.deployment;
  if (!deployment) return `the Deployment "${state.name}" to exist`;
  if (deployment.spec?.paused) return `the Deployment "${state.name}" to be resumed (it is paused)`;
  if (!specObserved(state)) return 'the deployment controller to pick up the new spec';
  const desired = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return `updated replicas (${updated} of ${desired} so far)${blockerDetail(state)}`;
  if (total > updated) return `${total - updated} old replica${total - updated === 1 ? '' : 's'} to terminate`;
  if (available < updated) return `updated replicas to become available (${available} of ${updated} are)${blockerDetail(state)}`;
  return 'the Deployment to report the rollout complete';
}

function blockerDetail(state: RolloutState): string {
  const replicaSet = currentReplicaSet(state);
  const failure = conditionOf(replicaSet?.status?.conditions, 'ReplicaFailure');
  if (failure?.status === 'True' && failure.message) {
    const quotaHeld = Object.values(state.pods).some(isTerminating);
    return `: the ReplicaSet cannot create pods yet${quotaHeld ? ' (old pods still hold quota)' : ''} (${failure.message.replace(/\.$/, '')})`;
  }
  for (const pod of currentPods(state)) {
    if (isTerminating(pod)) continue;
    const blocker = podBlocker(pod, state);
    if (blocker && !blocker.startsWith('is ready')) return `: pod ${pod.metadata.name} ${blocker}`;
  }
  return '';
}
