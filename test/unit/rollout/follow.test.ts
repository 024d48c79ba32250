import {describe, expect, it} from '@jest/globals';

import type {Cluster, KubeObject, LogOptions, WatchEventType, WatchOptions} from '../../../src/cluster/index.ts';
import {GshiftError} from '../../../src/errors.ts';
import {followRollout, formatDuration} from '../../../src/rollout/follow.ts';
import {deployment, event, NAME, NAMESPACE, pod, replicaSet, running, waiting} from './fixtures.ts';

/** A cluster whose watches the test drives: it lists nothing by itself. */
class ScriptedCluster {
  readonly watches = new Map<string, WatchOptions>();
  readonly logRequests: Array<{pod: string; container?: string; options?: LogOptions}> = [];
  logText = 'starting server\nError: connect ECONNREFUSED 10.0.0.7:5432\n';
  private armed!: () => void;
  readonly watching = new Promise<void>((resolve) => (this.armed = resolve));

  constructor(private readonly existing: KubeObject | undefined) {}

  async get<T>(): Promise<T | undefined> {
    return this.existing as T | undefined;
  }

  watch(_apiVersion: string, kind: string, options: WatchOptions): Promise<void> {
    this.watches.set(kind, options);
    if (this.watches.size === 4) this.armed();
    return new Promise((resolve) => options.signal?.addEventListener('abort', () => resolve(), {once: true}));
  }

  keepsPreviousLogs = true;

  async readLogs(_namespace: string, podName: string, container?: string, options?: LogOptions): Promise<string> {
    this.logRequests.push({pod: podName, container, options});
    if (options?.previous && !this.keepsPreviousLogs) throw new GshiftError('NOT_FOUND', 'previous terminated container "app" not found');
    return this.logText;
  }

  emit(kind: string, type: WatchEventType, object: KubeObject): void {
    this.watches.get(kind)!.onEvent(type, object);
  }

  syncAll(): void {
    for (const options of this.watches.values()) options.onSynced?.();
  }

  asCluster(): Cluster {
    return this as unknown as Cluster;
  }
}

const observed = deployment({observedGeneration: 1, revision: 1, status: {replicas: 1, updated: 1}});
const ready = deployment({observedGeneration: 1, revision: 1, status: {replicas: 1, updated: 1, ready: 1, available: 1}});
const fresh = replicaSet(undefined, {revision: 1});

async function failureOf(promise: Promise<unknown>): Promise<GshiftError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GshiftError) return error;
    throw error;
  }
  throw new Error('expected the rollout to fail');
}

describe('followRollout', () => {
  it('watches the Deployment by name and its ReplicaSets and pods by its selector, and resolves when complete', async () => {
    const cluster = new ScriptedCluster(observed);
    const updates: string[] = [];
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 60_000, onUpdate: (progress) => updates.push(`${progress.updated}/${progress.available}`)});
    await cluster.watching;
    expect(cluster.watches.get('Deployment')).toMatchObject({namespace: NAMESPACE, fieldSelector: 'metadata.name=web'});
    expect(cluster.watches.get('Pod')).toMatchObject({labelSelector: 'app.kubernetes.io/instance=web'});
    expect(cluster.watches.get('ReplicaSet')).toMatchObject({labelSelector: 'app.kubernetes.io/instance=web'});
    cluster.emit('Deployment', 'ADDED', observed);
    cluster.emit('ReplicaSet', 'ADDED', fresh);
    cluster.syncAll();
    cluster.emit('Pod', 'ADDED', pod('a1b2c', [running()]));
    cluster.emit('Deployment', 'MODIFIED', ready);
    const result = await following;
    expect(result).toMatchObject({namespace: NAMESPACE, deployment: NAME, progress: {desired: 1, updated: 1, available: 1}});
    expect(updates.at(-1)).toBe('1/1');
  });

  it('fails with the diagnosis and the previous instance\'s last log lines of a crashing container', async () => {
    const cluster = new ScriptedCluster(observed);
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 60_000});
    await cluster.watching;
    const crashing = pod('x2x4k', [waiting('CrashLoopBackOff', 'back-off 10s', {restartCount: 1, lastState: {terminated: {exitCode: 1, reason: 'Error'}}})], {phase: 'Running'});
    cluster.emit('Deployment', 'ADDED', observed);
    cluster.emit('ReplicaSet', 'ADDED', fresh);
    cluster.emit('Pod', 'ADDED', crashing);
    cluster.emit('Event', 'ADDED', event(crashing, 'BackOff', 'Back-off restarting failed container app in pod web-7c9d8f5b6d-x2x4k'));
    cluster.syncAll();
    const error = await failureOf(following);
    expect(error.code).toBe('ROLLOUT_FAILED');
    expect(error.message).toBe('Pod web-7c9d8f5b6d-x2x4k: container "app" keeps crashing (CrashLoopBackOff, exit code 1, 1 restart).');
    expect(cluster.logRequests).toEqual([{pod: 'web-7c9d8f5b6d-x2x4k', container: 'app', options: expect.objectContaining({previous: true, tailLines: 20})}]);
    expect(error.details).toMatchObject({
      reason: 'CrashLoopBackOff',
      pod: 'web-7c9d8f5b6d-x2x4k',
      container: 'app',
      logs: ['starting server', 'Error: connect ECONNREFUSED 10.0.0.7:5432'],
      events: [expect.objectContaining({reason: 'BackOff', type: 'Warning'})],
    });
  });

  it('reads the current log when the runtime kept no previous instance', async () => {
    const cluster = new ScriptedCluster(observed);
    cluster.keepsPreviousLogs = false;
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 60_000});
    await cluster.watching;
    const crashing = pod('x2x4k', [waiting('CrashLoopBackOff', 'back-off 10s', {restartCount: 1, lastState: {terminated: {exitCode: 1, reason: 'Error'}}})], {phase: 'Running'});
    cluster.emit('Deployment', 'ADDED', observed);
    cluster.emit('ReplicaSet', 'ADDED', fresh);
    cluster.emit('Pod', 'ADDED', crashing);
    cluster.emit('Event', 'ADDED', event(crashing, 'BackOff', 'Back-off restarting failed container app'));
    cluster.syncAll();
    const error = await failureOf(following);
    expect(cluster.logRequests.map((request) => request.options?.previous)).toEqual([true, false]);
    expect(error.details).toMatchObject({logSource: 'current', logs: ['starting server', 'Error: connect ECONNREFUSED 10.0.0.7:5432']});
  });

  it('does not judge a failure before every watch has listed what exists', async () => {
    const cluster = new ScriptedCluster(observed);
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 60_000});
    await cluster.watching;
    let settled = false;
    following.catch(() => {}).finally(() => (settled = true));
    cluster.emit('Deployment', 'ADDED', observed);
    cluster.emit('ReplicaSet', 'ADDED', fresh);
    cluster.emit('Pod', 'ADDED', pod('x2x4k', [waiting('ImagePullBackOff', 'Back-off pulling image')]));
    // Every event above handled (a few turns of the event loop), and still no verdict.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    cluster.syncAll();
    expect((await failureOf(following)).details).toMatchObject({reason: 'ImagePullBackOff'});
    expect(cluster.logRequests).toEqual([]);
  });

  it('times out saying what it was still waiting for', async () => {
    const cluster = new ScriptedCluster(observed);
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 200});
    await cluster.watching;
    cluster.emit('Deployment', 'ADDED', observed);
    cluster.emit('ReplicaSet', 'ADDED', fresh);
    cluster.emit('Pod', 'ADDED', pod('a1b2c', undefined));
    cluster.syncAll();
    const error = await failureOf(following);
    expect(error.code).toBe('TIMED_OUT');
    expect(error.message).toBe('Timed out after 0s waiting for updated replicas to become available (0 of 1 are): pod web-7c9d8f5b6d-a1b2c is Pending.');
  });

  it('stops waiting when interrupted, and says a reconnect once for all four watches', async () => {
    const cluster = new ScriptedCluster(observed);
    const interrupt = new AbortController();
    const notes: string[] = [];
    const following = followRollout(cluster.asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 60_000, signal: interrupt.signal, onNote: (text) => notes.push(text)});
    await cluster.watching;
    for (const options of cluster.watches.values()) options.onReconnect?.(1, 'The cluster at https://127.0.0.1:6443 refused the connection.');
    expect(notes).toEqual(['Lost the connection to the API server: the cluster at https://127.0.0.1:6443 refused the connection; reconnecting (attempt 1)…']);
    interrupt.abort();
    const error = await failureOf(following);
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toMatch(/^Stopped waiting for the rollout of Deployment "web" while it was waiting for /);
    expect(cluster.watches.get('Pod')!.signal!.aborted).toBe(true);
  });

  it('says so when the Deployment does not exist', async () => {
    const error = await failureOf(followRollout(new ScriptedCluster(undefined).asCluster(), {namespace: NAMESPACE, name: NAME, timeoutMs: 1000}));
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('formatDuration', () => {
  it('writes durations as the --timeout flag takes them', () => {
    expect([300_000, 90_000, 45_000, 3_600_000, 0].map(formatDuration)).toEqual(['5m', '1m30s', '45s', '1h', '0s']);
  });
});
