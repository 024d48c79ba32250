/**
 * What we know about one Deployment's rollout, built only from watch events: a pure reducer, so
 * every failure mode can be replayed in a unit test from a recorded event sequence.
 *
 * The Deployment's current ReplicaSet is the one the deployment controller marked with the
 * Deployment's revision (as kubectl's FindNewReplicaSet would find by template); its pods are
 * matched by owner reference, never by name.
 */
import type {KubeObject, WatchEventType} from '../cluster/index.js';
import {controllerUid, type Deployment, type KubeEvent, type Pod, type PodTemplate, type ReplicaSet} from './objects.js';
import {byCodePoint} from '../core/order.js';

export type WatchedKind = 'Deployment' | 'ReplicaSet' | 'Pod' | 'Event';

export type RolloutEvent =
  /** One watch notification; `at` is the local time it arrived (ms). */
  | {type: 'watch'; change: WatchEventType; object: KubeObject; at: number}
  /** A watch has delivered its initial list: what comes after it happened while we watched. */
  | {type: 'synced'; kind: WatchedKind; at: number}
  /** Time passes: the never-ready rule depends on how long a container has been unready. */
  | {type: 'tick'; at: number};

export interface TrackedEvent {
  event: KubeEvent;
  /** Recorded or updated while we watched (not part of the initial list): not stale. */
  live: boolean;
}

export interface RolloutState {
  namespace: string;
  /** The Deployment's name. */
  name: string;
  startedAt: number;
  now: number;
  deployment?: Deployment;
  /** The Deployment existed and was then deleted while we watched. */
  deploymentDeleted: boolean;
  /** The Deployment's ReplicaSets, by uid. */
  replicaSets: Record<string, ReplicaSet>;
  /** Pods owned by the Deployment's ReplicaSets, by uid. */
  pods: Record<string, Pod>;
  /** Events about the Deployment, its ReplicaSets and their pods, by uid. */
  events: Record<string, TrackedEvent>;
  synced: Partial<Record<WatchedKind, boolean>>;
  /** `podUid/container` → local time we first saw the container running but not ready. */
  notReadySince: Record<string, number>;
}

/** Events kept, newest first: enough for a diagnosis without growing with a noisy namespace. */
const MAX_EVENTS = 300;

export function initialState(namespace: string, name: string, at: number): RolloutState {
  return {namespace, name, startedAt: at, now: at, deploymentDeleted: false, replicaSets: {}, pods: {}, events: {}, synced: {}, notReadySince: {}};
}

export function reduce(state: RolloutState, event: RolloutEvent): RolloutState {
  const now = Math.max(state.now, event.at);
  if (event.type === 'tick') return now === state.now ? state : {...state, now};
  if (event.type === 'synced') return {...state, now, synced: {...state.synced, [event.kind]: true}};
  const next = {...state, now};
  const {object, change} = event;
  switch (object.kind) {
    case 'Deployment':
      return object.metadata.name === state.name ? reduceDeployment(next, change, object as Deployment) : state;
    case 'ReplicaSet':
      return ownedByDeployment(object as ReplicaSet, state.name) ? reduceReplicaSet(next, change, object as ReplicaSet) : state;
    case 'Pod':
      return ownedByDeploymentReplicaSet(object as Pod, state.name) ? reducePod(next, change, object as Pod) : state;
    case 'Event':
      return aboutRollout(object as KubeEvent, state.name) ? reduceEvent(next, change, object as KubeEvent) : state;
    default:
      return state;
  }
}

function reduceDeployment(state: RolloutState, change: WatchEventType, deployment: Deployment): RolloutState {
  if (change === 'DELETED') return {...state, deployment: undefined, deploymentDeleted: true};
  return {...state, deployment, deploymentDeleted: false};
}

function reduceReplicaSet(state: RolloutState, change: WatchEventType, replicaSet: ReplicaSet): RolloutState {
  return {...state, replicaSets: upsert(state.replicaSets, keyOf(replicaSet), change === 'DELETED' ? undefined : replicaSet)};
}

function reducePod(state: RolloutState, change: WatchEventType, pod: Pod): RolloutState {
  const key = keyOf(pod);
  const deleted = change === 'DELETED';
  const notReadySince = {...state.notReadySince};
  for (const status of pod.status?.containerStatuses ?? []) {
    const slot = `${key}/${status.name}`;
    const unready = !deleted && status.state?.running !== undefined && status.ready !== true && status.started !== false;
    if (!unready) delete notReadySince[slot];
    else notReadySince[slot] ??= state.now;
  }
  if (deleted) for (const slot of Object.keys(notReadySince)) if (slot.startsWith(`${key}/`)) delete notReadySince[slot];
  return {...state, pods: upsert(state.pods, key, deleted ? undefined : pod), notReadySince};
}

function reduceEvent(state: RolloutState, change: WatchEventType, event: KubeEvent): RolloutState {
  if (change === 'DELETED') return {...state, events: upsert(state.events, keyOf(event), undefined)};
  const live = state.synced.Event === true;
  let events = upsert(state.events, keyOf(event), {event, live});
  const keys = Object.keys(events);
  if (keys.length > MAX_EVENTS) {
    // Insertion order is arrival order: drop the oldest arrivals.
    events = {...events};
    for (const stale of keys.slice(0, keys.length - MAX_EVENTS)) delete events[stale];
  }
  return {...state, events};
}

function upsert<T>(record: Record<string, T>, key: string, value: T | undefined): Record<string, T> {
  const next = {...record};
  if (value === undefined) delete next[key];
  else {
    delete next[key];
    next[key] = value;
  }
  return next;
}

function keyOf(object: KubeObject): string {
  return object.metadata.uid ?? `${object.kind}/${object.metadata.name}`;
}

const ownedByDeployment = (replicaSet: ReplicaSet, name: string) =>
  replicaSet.metadata.ownerReferences?.some((owner) => owner.kind === 'Deployment' && owner.name === name) ?? false;

// A ReplicaSet's name is "<deployment>-<pod-template-hash>"; the uid check happens in currentPods.
const ownedByDeploymentReplicaSet = (pod: Pod, name: string) =>
  pod.metadata.ownerReferences?.some((owner) => owner.kind === 'ReplicaSet' && owner.name.startsWith(`${name}-`)) ?? false;

function aboutRollout(event: KubeEvent, name: string): boolean {
  const involved = event.involvedObject;
  if (!involved?.name) return false;
  if (involved.kind === 'Deployment') return involved.name === name;
  return (involved.kind === 'ReplicaSet' || involved.kind === 'Pod') && involved.name.startsWith(`${name}-`);
}

// ---- Reading the state -------------------------------------------------------------------

/** The Deployment's generation has been seen by the deployment controller: its status is about the current spec. */
export function specObserved(state: RolloutState): boolean {
  const deployment = state.deployment;
  if (!deployment) return false;
  return (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
}

/** The Deployment's ReplicaSets (this Deployment's uid, not a deleted namesake's). */
export function replicaSetsOf(state: RolloutState): ReplicaSet[] {
  const uid = state.deployment?.metadata.uid;
  return Object.values(state.replicaSets).filter((replicaSet) => uid === undefined || controllerUid(replicaSet.metadata) === uid);
}

/**
 * The ReplicaSet whose pod template is the Deployment's, as the deployment controller finds it
 * (FindNewReplicaSet: templates equal but for the pod-template-hash label). By template, not by
 * revision: right after a change the revision annotations still name the old ReplicaSet, and
 * the crash-looping pods of a broken release must not be taken for the fix's. The template
 * match needs no observed status (a changed template matches no old ReplicaSet), so the live
 * view does not call a new Deployment's first pods "old" while the controller catches up;
 * the verdict waits for the controller separately (see diagnose).
 */
export function currentReplicaSet(state: RolloutState): ReplicaSet | undefined {
  if (!state.deployment) return undefined;
  // Asked many times per event (progress, verdict, pods): found once per state.
  if (currentBySnapshot.has(state)) return currentBySnapshot.get(state);
  const wanted = templateKey(state.deployment?.spec?.template);
  const current = replicaSetsOf(state)
    .filter((replicaSet) => templateKey(replicaSet.spec?.template) === wanted)
    .sort((a, b) => byCodePoint(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''))[0];
  currentBySnapshot.set(state, current);
  return current;
}

// States and the objects in them are never changed, only replaced (reduce), so what is derived
// from one is kept with it: a template's key is computed once, not at every event (canonical
// JSON of a pod template is the most expensive step of judging a rollout).
const currentBySnapshot = new WeakMap<RolloutState, ReplicaSet | undefined>();
const keyByTemplate = new WeakMap<PodTemplate, string>();

function templateKey(template: PodTemplate | undefined): string {
  const known = template && keyByTemplate.get(template);
  if (known !== undefined) return known;
  const labels = {...template?.metadata?.labels};
  delete labels['pod-template-hash'];
  const key = canonicalJson({...template, metadata: {...template?.metadata, labels}});
  if (template) keyByTemplate.set(template, key);
  return key;
}

/** JSON with object keys sorted and undefined/empty-object differences ignored. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value)
    .filter(([, field]) => field !== undefined && !(isPlainObject(field) && Object.keys(field).length === 0))
    .sort(([a], [b]) => byCodePoint(a, b));
  return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const byAge = (a: Pod, b: Pod) =>
  byCodePoint(a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? '') || byCodePoint(a.metadata.name, b.metadata.name);

/** Pods of the current ReplicaSet, oldest first, including terminating ones. */
export function currentPods(state: RolloutState): Pod[] {
  const current = currentReplicaSet(state)?.metadata.uid;
  if (current === undefined) return [];
  return Object.values(state.pods).filter((pod) => controllerUid(pod.metadata) === current).sort(byAge);
}

/** Pods of older ReplicaSets of this Deployment (still running or terminating). */
export function oldPods(state: RolloutState): Pod[] {
  const owners = new Set(replicaSetsOf(state).map((replicaSet) => replicaSet.metadata.uid));
  const current = currentReplicaSet(state)?.metadata.uid;
  return Object.values(state.pods)
    .filter((pod) => {
      const owner = controllerUid(pod.metadata);
      return owner !== undefined && owner !== current && owners.has(owner);
    })
    .sort(byAge);
}

export const isTerminating = (pod: Pod) => pod.metadata.deletionTimestamp !== undefined;

/** Events about one object (by uid, or by kind and name when the recorder left the uid out). */
export function eventsAbout(state: RolloutState, object: KubeObject): TrackedEvent[] {
  return Object.values(state.events).filter(({event}) => {
    const involved = event.involvedObject;
    if (!involved) return false;
    if (involved.uid && object.metadata.uid) return involved.uid === object.metadata.uid;
    return involved.kind === object.kind && involved.name === object.metadata.name;
  });
}
