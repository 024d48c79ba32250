/**
 * Reading one pod of the rollout: is it failing for good (fail fast), what is it waiting for
 * (timeout wording), and its one-word status for the live view (kubectl's STATUS column).
 */
import type {ContainerSpec, ContainerStatus, Pod} from './objects.js';
import {conditionOf} from './objects.js';
import {eventsAbout, type RolloutState} from './state.js';

export type PodFailureReason =
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'InvalidImageName'
  | 'ErrImageNeverPull'
  | 'CreateContainerConfigError'
  | 'CreateContainerError'
  | 'RunContainerError'
  | 'CrashLoopBackOff'
  | 'NeverReady';

export interface PodFailure {
  reason: PodFailureReason;
  /** One sentence naming the pod, the container and the cause. */
  cause: string;
  pod: string;
  container: string;
  /** Which instance's log explains it: none for containers that never ran. */
  logSource?: 'current' | 'previous';
  /** kubelet's own words, e.g. the registry's answer to the pull. */
  message?: string;
}

const IMAGE_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/**
 * How long a started container may stay running-but-unready before it counts as never ready,
 * unless its readiness probe asks for longer (see `readyGraceFor`).
 */
export const DEFAULT_READY_GRACE_MS = 15_000;

interface ContainerEntry {
  status: ContainerStatus;
  spec?: ContainerSpec;
  init: boolean;
}

function containersOf(pod: Pod): ContainerEntry[] {
  const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const entries = (statuses: ContainerStatus[] | undefined, init: boolean) =>
    (statuses ?? []).map((status) => ({status, init, spec: specs.find((spec) => spec.name === status.name)}));
  return [...entries(pod.status?.initContainerStatuses, true), ...entries(pod.status?.containerStatuses, false)];
}

const label = ({status, init}: ContainerEntry) => `${init ? 'init container' : 'container'} "${status.name}"`;
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const sentence = (text: string) => text.trim().replace(/[.\s]+$/, '');

/** The pod's failure that no amount of waiting fixes, or undefined. */
export function podFailure(pod: Pod, state: RolloutState, readyGraceMs = DEFAULT_READY_GRACE_MS): PodFailure | undefined {
  const name = pod.metadata.name;
  for (const entry of containersOf(pod)) {
    const {status} = entry;
    const waiting = status.state?.waiting;
    const reason = waiting?.reason ?? '';
    if (IMAGE_REASONS.has(reason)) {
      const image = status.image ?? entry.spec?.image ?? '?';
      const what = reason === 'InvalidImageName' ? `the image name "${image}" is invalid` : `the image "${image}" cannot be pulled`;
      return {reason: reason as PodFailureReason, cause: `Pod ${name}: ${what} (${reason}).`, pod: name, container: status.name, message: waiting?.message};
    }
    if (CONFIG_REASONS.has(reason)) {
      const detail = waiting?.message ? `: ${sentence(waiting.message)}` : '';
      return {reason: reason as PodFailureReason, cause: `Pod ${name}: ${label(entry)} cannot start${detail} (${reason}).`, pod: name, container: status.name};
    }
    const crash = crashOf(status);
    if (crash) return {reason: 'CrashLoopBackOff', cause: `Pod ${name}: ${label(entry)} ${crashDescription(pod, entry, state)}.`, pod: name, container: status.name, logSource: 'previous'};
  }
  return neverReady(pod, state, readyGraceMs);
}

/** A container that has crashed and is being restarted with back-off (or has already restarted twice). */
function crashOf(status: ContainerStatus): boolean {
  if (status.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  // A container that crashed on start-up and has since come up (waiting for a database, say) is fine.
  return status.ready !== true && (status.restartCount ?? 0) >= 2 && status.lastState?.terminated !== undefined;
}

function crashDescription(pod: Pod, entry: ContainerEntry, state: RolloutState): string {
  const {status} = entry;
  const last = status.lastState?.terminated ?? status.state?.terminated;
  const restarts = status.restartCount ?? 0;
  const facts = [status.state?.waiting?.reason === 'CrashLoopBackOff' ? 'CrashLoopBackOff' : undefined];
  const probe = latestProbeFailure(pod, state, status.name, /^(Liveness|Startup) probe failed/);
  let what = 'keeps crashing';
  if (last?.reason === 'OOMKilled') what = 'keeps crashing: it runs out of memory';
  else if (probe) what = `keeps being restarted: its ${probe.split(' ')[0]!.toLowerCase()} probe fails`;
  if (last?.reason === 'OOMKilled') facts.push('OOMKilled');
  else if (last?.exitCode !== undefined) facts.push(`exit code ${last.exitCode}`);
  if (restarts > 0) facts.push(plural(restarts, 'restart'));
  const shown = facts.filter(Boolean);
  return shown.length > 0 ? `${what} (${shown.join(', ')})` : what;
}

/** The newest kubelet "Unhealthy" message for the container matching `kind`, e.g. "Readiness probe failed: …". */
function latestProbeFailure(pod: Pod, state: RolloutState, container: string, kind: RegExp): string | undefined {
  const unhealthy = eventsAbout(state, pod)
    .map(({event}) => event)
    .filter((event) => event.reason === 'Unhealthy' && kind.test(event.message ?? ''))
    .filter((event) => {
      const field = event.involvedObject?.fieldPath;
      return field === undefined || field === '' || field.endsWith(`{${container}}`);
    });
  return unhealthy.at(-1)?.message;
}

/**
 * How long the container may be running but unready: the grace, or two readiness-probe periods
 * when that is longer (a healthy app is ready after one), plus the probe's initial delay.
 */
export function readyGraceFor(spec: ContainerSpec | undefined, readyGraceMs: number): number {
  const probe = spec?.readinessProbe;
  const period = (probe?.periodSeconds ?? 10) * 1000;
  const initialDelay = (probe?.initialDelaySeconds ?? 0) * 1000;
  return Math.max(readyGraceMs, probe ? 2 * period : 0) + initialDelay;
}

function neverReady(pod: Pod, state: RolloutState, readyGraceMs: number): PodFailure | undefined {
  const key = pod.metadata.uid ?? `Pod/${pod.metadata.name}`;
  for (const entry of containersOf(pod)) {
    if (entry.init) continue;
    const since = state.notReadySince[`${key}/${entry.status.name}`];
    if (since === undefined) continue;
    const grace = readyGraceFor(entry.spec, readyGraceMs);
    if (state.now - since < grace) continue;
    const probe = latestProbeFailure(pod, state, entry.status.name, /^Readiness probe failed/);
    const why = probe ? `readiness probe failing: ${sentence(probe.replace(/^Readiness probe failed:\s*/, ''))}` : `not ready after ${Math.round(grace / 1000)}s`;
    return {
      reason: 'NeverReady',
      cause: `Pod ${pod.metadata.name}: ${label(entry)} is running but never became ready (${why}).`,
      pod: pod.metadata.name,
      container: entry.status.name,
      logSource: 'current',
    };
  }
  return undefined;
}

/** What a pod that is not yet available is waiting for, as a clause: "is not scheduled (0/3 nodes …)". */
export function podBlocker(pod: Pod, state: RolloutState): string | undefined {
  if (pod.metadata.deletionTimestamp) return 'is terminating';
  const scheduled = conditionOf(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status === 'False') return `is not scheduled${scheduled.message ? ` (${sentence(scheduled.message)})` : ''}`;
  for (const entry of containersOf(pod)) {
    const {status} = entry;
    if (status.ready) continue;
    const waiting = status.state?.waiting;
    if (waiting?.reason) return `has ${label(entry)} waiting (${waiting.reason}${waiting.message ? `: ${sentence(waiting.message)}` : ''})`;
    if (entry.init) return `is running ${label(entry)}`;
    if (status.state?.running) {
      if (status.started === false) return `has ${label(entry)} starting (startup probe not passed yet)`;
      const probe = latestProbeFailure(pod, state, status.name, /^Readiness probe failed/);
      return `has ${label(entry)} running but not ready${probe ? ` (${sentence(probe)})` : ''}`;
    }
  }
  const ready = conditionOf(pod.status?.conditions, 'Ready');
  if (pod.status?.phase === 'Running' && ready?.status === 'True') return 'is ready but not yet available (minReadySeconds)';
  return `is ${pod.status?.phase ?? 'Pending'}`;
}

/** kubectl's STATUS column: the most telling state of the pod in one word. */
export function podStatusText(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  for (const status of pod.status?.initContainerStatuses ?? []) {
    const reason = status.state?.waiting?.reason ?? (status.state?.terminated?.exitCode ? status.state.terminated.reason : undefined);
    if (reason && reason !== 'PodInitializing') return `Init:${reason}`;
  }
  for (const status of pod.status?.containerStatuses ?? []) {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (reason) return reason;
  }
  const scheduled = conditionOf(pod.status?.conditions, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason) return scheduled.reason;
  return pod.status?.reason ?? pod.status?.phase ?? 'Pending';
}

/** "1/2": ready containers of all containers. */
export function podReadyText(pod: Pod): string {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec?.containers?.length ?? statuses.length;
  return `${statuses.filter((status) => status.ready).length}/${total}`;
}

export const podRestarts = (pod: Pod) => (pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + (status.restartCount ?? 0), 0);
