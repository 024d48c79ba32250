/**
 * Following a Deployment's rollout to its verdict: four watches (the Deployment, its ReplicaSets,
 * its pods, the namespace's events) feed the pure reducer; each change is judged by `diagnose`.
 * No polling: a one-second clock only ages what was seen, for the never-ready rule.
 */
import type {Cluster, KubeObject, WatchEventType} from '../cluster/index.js';
import {APP_LABEL, INSTANCE_LABEL} from '../core/labels.js';
import {GshiftError, notFoundError} from '../errors.js';
import {diagnose, waitingFor, type DiagnoseOptions, type Diagnosis} from './diagnosis.js';
import {labelSelectorString, type Deployment} from './objects.js';
import {completedProgress, progressOf, type RolloutProgress} from './progress.js';
import {initialState, reduce, type RolloutEvent, type RolloutState, type WatchedKind} from './state.js';

export interface FollowOptions extends DiagnoseOptions {
  namespace: string;
  /** The Deployment's name. */
  name: string;
  timeoutMs: number;
  /** Aborting stops waiting (Ctrl-C): followRollout then rejects with INTERRUPTED. */
  signal?: AbortSignal;
  /** Each change, for the live view. */
  onUpdate?(progress: RolloutProgress, state: RolloutState): void;
  /** Things the user should know while waiting ("reconnecting…"). */
  onNote?(text: string): void;
  /** Lines of the failing container's log to include in the diagnosis (default 20). */
  logLines?: number;
  /** The Deployment as the caller just wrote it (an apply's answer): not read again. */
  known?: Deployment;
}

export interface RolloutResult {
  namespace: string;
  deployment: string;
  elapsedMs: number;
  progress: RolloutProgress;
}

/** What a failed rollout's error carries in `details` (and --json shows). */
export interface RolloutFailureDetails extends Omit<Diagnosis, 'verdict' | 'hint' | 'cause'> {
  namespace: string;
  deployment: string;
  /** The last lines of the failing container's log (of its previous instance for a crash loop). */
  logs?: string[];
  /** Why the log could not be read, when it could not. */
  logsUnavailable?: string;
  progress: RolloutProgress;
}

const EVIDENCE_WAIT_MS = 2000;

const WATCHED: Array<{kind: WatchedKind; apiVersion: string; selected: boolean}> = [
  {kind: 'Deployment', apiVersion: 'apps/v1', selected: false},
  {kind: 'ReplicaSet', apiVersion: 'apps/v1', selected: true},
  {kind: 'Pod', apiVersion: 'v1', selected: true},
  {kind: 'Event', apiVersion: 'v1', selected: false},
];

/**
 * Resolves when the rollout is complete. Rejects with ROLLOUT_FAILED (with a diagnosis) as soon
 * as it cannot succeed, TIMED_OUT after `timeoutMs` saying what it was still waiting for,
 * INTERRUPTED when `signal` aborts, or the watch's own error when the cluster stays unreachable.
 */
export async function followRollout(cluster: Cluster, options: FollowOptions): Promise<RolloutResult> {
  const {namespace, name} = options;
  const ref = {apiVersion: 'apps/v1', kind: 'Deployment', name, namespace};
  const found = options.known ?? (await cluster.get<Deployment>(ref));
  if (!found) throw notFoundError(`Deployment "${name}" does not exist in namespace "${namespace}".`, `gshift app list -n ${namespace} shows what is deployed.`);
  const selector = labelSelectorString(found.spec?.selector);

  const started = Date.now();
  let state = initialState(namespace, name, started);
  const stop = new AbortController();
  const outcome = deferred<RolloutResult>();
  let settled = false;
  let complete = false;

  // Ending four watches (HTTP/2 streams reset, listeners, buffers) is a few milliseconds of work:
  // a failure does it first, as its diagnosis reads on; a complete rollout answers first and ends
  // them a turn later (a process that exits with the answer never needs to).
  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    if (!complete) stop.abort();
    action();
  };

  // kubelet and the controllers record their Warning a moment after the status that fails the
  // rollout: give it that long to arrive (the clock re-judges every second), so the diagnosis shows it.
  let failingSince: number | undefined;
  const judge = () => {
    const verdict = diagnose(state, options);
    if (verdict.verdict === 'complete') {
      complete = true;
      const progress = completedProgress(state);
      const shown = progressOf(state);
      if (progress.available !== shown.available || progress.updated !== shown.updated || progress.ready !== shown.ready) options.onUpdate?.(progress, state);
      settle(() => outcome.resolve({namespace, deployment: name, elapsedMs: Date.now() - started, progress}));
      return;
    }
    // Judged only on complete lists: a partial view could miss the pod that frees the quota.
    if (verdict.verdict !== 'failed' || !WATCHED.every(({kind}) => state.synced[kind])) {
      failingSince = undefined;
      return;
    }
    failingSince ??= Date.now();
    const evidenced = verdict.events.some((event) => event.type === 'Warning');
    if (!evidenced && Date.now() - failingSince < EVIDENCE_WAIT_MS) return;
    const snapshot = state;
    settle(() => failure(cluster, snapshot, verdict, options).then(outcome.reject, outcome.reject));
  };

  const dispatch = (event: RolloutEvent) => {
    if (settled) return;
    const next = reduce(state, event);
    if (next === state) return;
    state = next;
    if (event.type !== 'tick') options.onUpdate?.(progressOf(state), state);
    judge();
  };

  const noteReconnect = reconnectNotes(options.onNote);
  const watches = WATCHED.map(({kind, apiVersion, selected}) =>
    cluster.watch(apiVersion, kind, {
      namespace,
      labelSelector: selected ? selector : undefined,
      fieldSelector: kind === 'Deployment' ? `metadata.name=${name}` : undefined,
      signal: stop.signal,
      onEvent: (change: WatchEventType, object: KubeObject) => dispatch({type: 'watch', change, object: object.kind ? object : {...object, kind}, at: Date.now()}),
      onSynced: () => dispatch({type: 'synced', kind, at: Date.now()}),
      onReconnect: noteReconnect,
    }),
  );
  for (const watch of watches) watch.catch((error: unknown) => settle(() => outcome.reject(error)));

  const clock = setInterval(() => dispatch({type: 'tick', at: Date.now()}), 1000);
  const timer = setTimeout(() => {
    const still = waitingFor(state, options);
    settle(() =>
      outcome.reject(
        new GshiftError('TIMED_OUT', `Timed out after ${formatDuration(options.timeoutMs)} waiting for ${still}.`, {
          hint: `see the pods with gshift app status ${appOf(state, options)}; run the command again to keep waiting, or give it longer with --timeout.`,
          details: {namespace, deployment: name, waitingFor: still, progress: progressOf(state)},
        }),
      ),
    );
  }, options.timeoutMs);
  const interrupted = () => {
    const still = waitingFor(state, options);
    settle(() =>
      outcome.reject(
        new GshiftError('INTERRUPTED', `Stopped waiting for the rollout of Deployment "${name}" while it was waiting for ${still}.`, {
          hint: 'run the same command again: it converges from where it stopped.',
          details: {namespace, deployment: name, waitingFor: still, progress: progressOf(state)},
        }),
      ),
    );
  };
  if (options.signal?.aborted) interrupted();
  options.signal?.addEventListener('abort', interrupted, {once: true});

  try {
    return await outcome.promise;
  } finally {
    clearInterval(clock);
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', interrupted);
    // A failure waits for its watches to end before its diagnosis reads on; a complete rollout's
    // answer need not wait for them (their signal is aborted a turn later: they end quietly, session or not).
    if (complete) setImmediate(() => stop.abort());
    else {
      stop.abort();
      await Promise.allSettled(watches);
    }
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return {promise, resolve, reject};
}

const appOf = (state: RolloutState, options: DiagnoseOptions) =>
  options.app ?? state.deployment?.metadata.labels?.[APP_LABEL] ?? state.deployment?.metadata.labels?.[INSTANCE_LABEL] ?? state.name;

/** Four watches lose the same connection at once: say it once per attempt. */
function reconnectNotes(onNote: FollowOptions['onNote']) {
  let lastAttempt = 0;
  return (attempt: number, reason: string) => {
    if (attempt === lastAttempt) return;
    lastAttempt = attempt;
    const why = reason.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (first) => first.toLowerCase());
    onNote?.(`Lost the connection to the API server: ${why}; reconnecting (attempt ${attempt})…`);
  };
}

async function failure(cluster: Cluster, state: RolloutState, diagnosis: Diagnosis, options: FollowOptions): Promise<GshiftError> {
  const {verdict: _verdict, cause, hint, ...facts} = diagnosis;
  const details: RolloutFailureDetails = {namespace: state.namespace, deployment: state.name, ...facts, progress: progressOf(state)};
  if (diagnosis.pod && diagnosis.container && diagnosis.logSource) {
    const read = (previous: boolean) =>
      cluster.readLogs(state.namespace, diagnosis.pod!, diagnosis.container, {tailLines: options.logLines ?? 20, previous, signal: AbortSignal.timeout(10_000)});
    try {
      let text: string;
      try {
        text = await read(diagnosis.logSource === 'previous');
      } catch (error) {
        if (diagnosis.logSource !== 'previous') throw error;
        // Some runtimes keep no previous instance; while a container waits in back-off its
        // current log is the crashed instance's.
        text = await read(false);
        details.logSource = 'current';
      }
      details.logs = text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
    } catch (error) {
      // A diagnosis without the log is still the diagnosis.
      details.logsUnavailable = error instanceof Error ? error.message : String(error);
    }
  }
  return new GshiftError('ROLLOUT_FAILED', cause ?? `The rollout of Deployment "${state.name}" failed.`, {hint, details: details as unknown as Record<string, unknown>});
}

/** 300000 → "5m", 90000 → "1m30s", 45000 → "45s". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', rest || seconds === 0 ? `${rest}s` : ''];
  return parts.join('');
}
