import type {ApplyOutcome, Cluster, KubeObject, WatchEventType} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {labelSelectorString, type Pod} from '../rollout/objects.js';
import {podFailure, podReadyText, podRestarts, podStatusText} from '../rollout/pod-failures.js';
import type {RolloutProgress} from '../rollout/progress.js';
import {initialState} from '../rollout/state.js';

interface StatefulSet extends KubeObject {
  spec?: {replicas?: number; selector?: {matchLabels?: Record<string, string>}};
  status?: {observedGeneration?: number; replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; currentRevision?: string; updateRevision?: string};
}

export interface DbWaitOptions {
  namespace: string;
  /** The StatefulSet (the database's name). */
  name: string;
  timeoutMs: number;
  onUpdate?(progress: RolloutProgress): void;
  onNote?(text: string): void;
  signal?: AbortSignal;
  /** The StatefulSet as the caller just wrote it (an apply's answer): not read again. */
  known?: KubeObject;
}

export interface DbRolloutResult {
  namespace: string;
  statefulSet: string;
  elapsedMs: number;
  progress: RolloutProgress;
}

/** Ready: the controller saw this spec, every replica runs the update revision and is ready. */
/** The StatefulSet a db create just applied, from its outcomes (none for a CloudNativePG cluster). */
export function writtenStatefulSet(result: {outcomes: readonly ApplyOutcome[]}): KubeObject | undefined {
  return result.outcomes.find((outcome) => outcome.ref.kind === 'StatefulSet')?.object;
}

export function statefulSetReady(set: StatefulSet | undefined): boolean {
  const status = set?.status;
  if (!set || !status) return false;
  const desired = set.spec?.replicas ?? 1;
  return (
    (status.observedGeneration ?? 0) >= (set.metadata.generation ?? 0) &&
    (status.readyReplicas ?? 0) >= desired &&
    (status.updatedReplicas ?? 0) >= desired &&
    (status.currentRevision === undefined || status.currentRevision === status.updateRevision)
  );
}

/**
 * Follows a database's StatefulSet to ready, from watches (no polling): resolves when ready,
 * rejects with ROLLOUT_FAILED as soon as its pod fails for good (image, config, crash loop, the
 * same rules as an app's rollout), TIMED_OUT saying what it waited for.
 */
export async function followDatabase(cluster: Cluster, options: DbWaitOptions): Promise<DbRolloutResult> {
  const {namespace, name} = options;
  const started = Date.now();
  const stop = new AbortController();
  let set: StatefulSet | undefined;
  const pods = new Map<string, Pod>();
  let settled = false;
  let resolve!: (value: DbRolloutResult) => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<DbRolloutResult>((ok, fail) => ((resolve = ok), (reject = fail)));
  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    stop.abort();
    action();
  };
  const progress = (): RolloutProgress => ({
    deployment: name,
    desired: set?.spec?.replicas ?? 1,
    updated: set?.status?.updatedReplicas ?? 0,
    ready: set?.status?.readyReplicas ?? 0,
    available: set?.status?.availableReplicas ?? set?.status?.readyReplicas ?? 0,
    observed: set !== undefined && (set.status?.observedGeneration ?? 0) >= (set.metadata.generation ?? 0),
    pods: [...pods.values()].map((pod) => ({name: pod.metadata.name, status: podStatusText(pod), ready: podReadyText(pod), restarts: podRestarts(pod), current: true})),
  });
  const judge = () => {
    options.onUpdate?.(progress());
    if (statefulSetReady(set)) return settle(() => resolve({namespace, statefulSet: name, elapsedMs: Date.now() - started, progress: progress()}));
    const state = {...initialState(namespace, name, started), now: Date.now()};
    for (const pod of pods.values()) {
      const failure = podFailure(pod, state);
      if (failure && failure.reason !== 'NeverReady') {
        return settle(() => reject(new GshiftError('ROLLOUT_FAILED', failure.cause, {
          hint: `see the pod with kubectl describe pod ${failure.pod} -n ${namespace}, fix the cause and run gshift db create again.`,
          details: {namespace, statefulSet: name, reason: failure.reason, pod: failure.pod, container: failure.container, ...(failure.message ? {message: failure.message} : {}), progress: progress()},
        })));
      }
    }
  };
  const onSet = (change: WatchEventType, object: KubeObject) => {
    set = change === 'DELETED' ? undefined : (object as StatefulSet);
    judge();
  };
  const found = (options.known as StatefulSet | undefined) ?? (await cluster.get<StatefulSet>({apiVersion: 'apps/v1', kind: 'StatefulSet', name, namespace}));
  const selector = labelSelectorString(found?.spec?.selector as never);
  const onPod = (change: WatchEventType, object: KubeObject) => {
    if (change === 'DELETED') pods.delete(object.metadata.name!);
    else pods.set(object.metadata.name!, object as Pod);
    judge();
  };
  const watches = [
    cluster.watch('apps/v1', 'StatefulSet', {namespace, fieldSelector: `metadata.name=${name}`, signal: stop.signal, onEvent: onSet}),
    cluster.watch('v1', 'Pod', {namespace, labelSelector: selector, signal: stop.signal, onEvent: onPod}),
  ];
  for (const watch of watches) watch.catch((error: unknown) => settle(() => reject(error)));
  const timer = setTimeout(() => {
    const now = progress();
    const waiting = !set ? `StatefulSet ${name}` : `${now.desired - now.ready} of ${now.desired} pod(s) of ${name} to be ready${now.pods.length ? ` (${now.pods.map((pod) => `${pod.name}: ${pod.status}`).join(', ')})` : ''}`;
    settle(() => reject(new GshiftError('TIMED_OUT', `Timed out waiting for ${waiting}.`, {
      hint: `see its volume claim and pod with kubectl get pvc,pods -n ${namespace}; run the command again to keep waiting, or give it longer with --timeout.`,
      details: {namespace, statefulSet: name, progress: now},
    })));
  }, options.timeoutMs);
  const interrupted = () => settle(() => reject(new GshiftError('INTERRUPTED', `Stopped waiting for database ${name}.`, {hint: 'run the same command again: it converges from where it stopped.'})));
  if (options.signal?.aborted) interrupted();
  options.signal?.addEventListener('abort', interrupted, {once: true});
  try {
    return await done;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', interrupted);
    stop.abort();
    await Promise.allSettled(watches);
  }
}

/**
 * Follows a CloudNativePG cluster to ready (ha.ts: healthy phase, Ready, every instance ready, no
 * switchover under way), from a watch of the Cluster: the operator does the rollout, gshift
 * reads its status.
 */
export async function followCluster(cluster: Cluster, options: DbWaitOptions): Promise<DbRolloutResult> {
  const {namespace, name} = options;
  const {CNPG_API, clusterState} = await import('./ha.js');
  const started = Date.now();
  const stop = new AbortController();
  let state = clusterState(undefined);
  const progress = (): RolloutProgress => ({deployment: name, desired: state.instances, updated: state.readyInstances, ready: state.readyInstances, available: state.readyInstances, observed: true, pods: []});
  let onChange!: () => void;
  const done = new Promise<DbRolloutResult>((resolve, reject) => {
    onChange = () => {
      options.onUpdate?.(progress());
      if (state.ready) resolve({namespace, statefulSet: name, elapsedMs: Date.now() - started, progress: progress()});
    };
    const timer = setTimeout(() => {
      reject(new GshiftError('TIMED_OUT', `Timed out waiting for CloudNativePG cluster ${name} to be healthy (${state.phase ?? 'no status yet'}; ${state.readyInstances}/${state.instances} instances ready${state.currentPrimary ? `, primary ${state.currentPrimary}` : ''}).`, {
        hint: `see kubectl describe cluster.postgresql.cnpg.io ${name} -n ${namespace} and the operator's log; run the command again to keep waiting, or give it longer with --timeout.`,
        details: {namespace, cluster: name, ...state},
      }));
    }, options.timeoutMs);
    stop.signal.addEventListener('abort', () => clearTimeout(timer), {once: true});
    options.signal?.addEventListener('abort', () => reject(new GshiftError('INTERRUPTED', `Stopped waiting for database ${name}.`, {hint: 'run the same command again: it converges from where it stopped.'})), {once: true});
  });
  const watch = cluster.watch(CNPG_API, 'Cluster', {
    namespace,
    fieldSelector: `metadata.name=${name}`,
    signal: stop.signal,
    onEvent: (change, object) => {
      state = clusterState(change === 'DELETED' ? undefined : (object as never));
      onChange();
    },
  });
  try {
    return await Promise.race([done, watch.then(() => done)]);
  } finally {
    stop.abort();
    await watch.catch(() => undefined);
  }
}
