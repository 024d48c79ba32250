import type {Cluster, KubeObject, WatchEventType, WatchOptions} from './index.js';

/**
 * A Cluster whose watches of one kind in one namespace share a single watch on the API server:
 * `gshift up` follows the rollouts of many apps per namespace at once, and each rollout watches
 * Deployments, ReplicaSets, Pods and Events there; shared, that is four watches per namespace
 * instead of four per app. Each watcher still sees exactly what its own selectors select
 * (equality label selectors and `metadata.name=` field selectors, matched here; a watch with
 * any other selector gets a watch of its own), first as ADDED events for what exists, then the
 * changes. Everything else goes to the cluster as it is.
 */
export function withSharedWatches(cluster: Cluster): Cluster {
  const hubs = new Map<string, Hub>();
  const watch = (apiVersion: string, kind: string, options: WatchOptions): Promise<void> => {
    const matches = !options.allNamespaces && options.namespace ? matcher(options) : undefined;
    if (!matches) return cluster.watch(apiVersion, kind, options);
    const key = `${apiVersion}\u0000${kind}\u0000${options.namespace}`;
    let hub = hubs.get(key);
    if (!hub || hub.closed) {
      hub = new Hub(cluster, apiVersion, kind, options.namespace!, () => hubs.delete(key));
      hubs.set(key, hub);
    }
    return hub.subscribe(matches, options);
  };
  return new Proxy(cluster, {
    get(target, property) {
      if (property === 'watch') return watch;
      // Read from the cluster itself (not through the proxy), so its own private state stays reachable.
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type Matcher = (object: KubeObject) => boolean;

/** What the watch's selectors select, when they are ones this side can decide; else undefined. */
export function matcher(options: Pick<WatchOptions, 'labelSelector' | 'fieldSelector'>): Matcher | undefined {
  const labels: [string, string][] = [];
  for (const part of (options.labelSelector ?? '').split(',').filter(Boolean)) {
    const match = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(part.trim());
    if (!match) return undefined;
    labels.push([match[1]!, match[2]!]);
  }
  let name: string | undefined;
  if (options.fieldSelector) {
    const match = /^metadata\.name=([a-z0-9.-]+)$/.exec(options.fieldSelector.trim());
    if (!match) return undefined;
    name = match[1];
  }
  return (object) => (name === undefined || object.metadata.name === name) && labels.every(([key, value]) => object.metadata.labels?.[key] === value);
}

interface Subscriber {
  matches: Matcher;
  options: WatchOptions;
  synced: boolean;
  fail(error: unknown): void;
}

/** How long a watch nobody follows any more stays open for the next one (the apps of one environment follow one after another). */
const LINGER_MS = 2000;

class Hub {
  closed = false;
  private readonly objects = new Map<string, KubeObject>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly stop = new AbortController();
  private synced = false;
  private linger?: NodeJS.Timeout;

  constructor(cluster: Cluster, apiVersion: string, kind: string, namespace: string, private readonly onClosed: () => void) {
    cluster
      .watch(apiVersion, kind, {
        namespace,
        signal: this.stop.signal,
        onEvent: (type, object) => this.dispatch(type, object.kind ? object : {...object, kind}),
        onSynced: () => {
          this.synced = true;
          for (const subscriber of this.subscribers) this.sync(subscriber);
        },
        onReconnect: (attempt, reason) => {
          for (const subscriber of this.subscribers) subscriber.options.onReconnect?.(attempt, reason);
        },
      })
      .then(
        () => this.close(),
        (error: unknown) => {
          for (const subscriber of this.subscribers) subscriber.fail(error);
          this.close();
        },
      );
  }

  subscribe(matches: Matcher, options: WatchOptions): Promise<void> {
    clearTimeout(this.linger);
    return new Promise((resolve, reject) => {
      const subscriber: Subscriber = {matches, options, synced: false, fail: reject};
      const leave = () => {
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0) this.linger = setTimeout(() => this.close(), LINGER_MS).unref() as NodeJS.Timeout;
        resolve();
      };
      if (options.signal?.aborted) return resolve();
      options.signal?.addEventListener('abort', leave, {once: true});
      this.subscribers.add(subscriber);
      for (const object of this.objects.values()) if (matches(object)) options.onEvent('ADDED', object);
      if (this.synced) this.sync(subscriber);
    });
  }

  private sync(subscriber: Subscriber): void {
    if (subscriber.synced) return;
    subscriber.synced = true;
    subscriber.options.onSynced?.();
  }

  private dispatch(type: WatchEventType, object: KubeObject): void {
    const key = object.metadata.name ?? '';
    const before = this.objects.get(key);
    if (type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, object);
    for (const subscriber of this.subscribers) {
      const now = type !== 'DELETED' && subscriber.matches(object);
      const was = before !== undefined && subscriber.matches(before);
      // An object whose labels changed enters or leaves a watcher's selection, as on the server.
      if (type === 'DELETED') {
        if (was || subscriber.matches(object)) subscriber.options.onEvent('DELETED', object);
      } else if (now) subscriber.options.onEvent(was ? 'MODIFIED' : 'ADDED', object);
      else if (was) subscriber.options.onEvent('DELETED', object);
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.linger);
    this.stop.abort();
    this.onClosed();
  }
}
