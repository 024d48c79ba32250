import type {Cluster} from '../cluster/index.js';
import {reconnectDelay} from '../cluster/watch-cache.js';
import {ContainerStream, type StreamStart, type StreamTuning} from './container-stream.js';
import type {LogSink} from './events.js';
import {wholeSecond} from './line.js';
import {podLabel, streamLabel} from './pod-label.js';
import {podsAndContainers} from './read.js';
import type {LogPlan} from './request.js';
import {containerInstance, type LogPod, type Workload} from './workload.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** Reconnect a stream after this long without a line while its container runs (default 2 min). */
  idleMs?: number;
}

interface FollowedPod {
  name: string;
  label: string;
  streams: Map<string, ContainerStream>;
  /** Pods there when following began get the backlog; later ones everything since their container started. */
  initial: boolean;
  gone: boolean;
}

const DRAIN_MS = 1500;

/**
 * --follow: one watch on the workload's pods (resumed on drops and 410 by cluster.watch), a
 * ContainerStream per running container, pods attached when their container starts and
 * detached when they are deleted. Resolves when `signal` aborts; rejects when the pods cannot
 * be watched any more.
 */
export async function followWorkloadLogs(cluster: Cluster, workload: Workload, plan: LogPlan, sink: LogSink, options: FollowOptions): Promise<void> {
  const {pods: listed, containers} = await podsAndContainers(cluster, workload, plan);
  const startedAt = Date.now();
  const cutoff = plan.sinceTime ?? (plan.sinceSeconds !== undefined ? wholeSecond(new Date(startedAt - plan.sinceSeconds * 1000).toISOString()) : undefined);
  const initial = new Set(listed.map((pod) => pod.metadata.uid));
  const tuning: StreamTuning = {idleMs: options.idleMs ?? 120_000, drainMs: DRAIN_MS, retryDelay: (attempt) => reconnectDelay(attempt)};
  const followed = new Map<string, FollowedPod>();
  const withContainer = containers.length > 1;
  const initialLabels = listed.map((pod) => podLabel(pod.metadata.name, pod.metadata.labels));
  sink.event({event: 'labels', labels: initialLabels.flatMap((label) => containers.map((container) => streamLabel(label, container, withContainer)))});
  sink.event({event: 'following', pods: initialLabels, containers});

  const backlog: StreamStart = {tailLines: plan.tailLines, sinceSeconds: plan.sinceSeconds, sinceTime: plan.sinceTime};
  const sinceStart = (startedAtText: string | undefined): StreamStart => {
    const started = startedAtText ? wholeSecond(startedAtText) : undefined;
    const since = [cutoff, started].filter((value) => value !== undefined).sort().pop();
    return since ? {sinceTime: since} : {};
  };

  const update = (pod: LogPod) => {
    const uid = pod.metadata.uid ?? pod.metadata.name;
    let entry = followed.get(uid);
    if (!entry) {
      entry = {name: pod.metadata.name, label: podLabel(pod.metadata.name, pod.metadata.labels), streams: new Map(), initial: initial.has(pod.metadata.uid), gone: false};
      followed.set(uid, entry);
    }
    if (entry.gone) return;
    for (const container of containers) {
      const instance = containerInstance(pod, container);
      const stream = entry.streams.get(container);
      if (stream) {
        stream.update(instance);
        continue;
      }
      if (!instance.running) continue;
      if (entry.streams.size === 0 && !entry.initial) sink.event({event: 'joined', pod: entry.name, label: entry.label, ...(pod.spec?.nodeName ? {node: pod.spec.nodeName} : {})});
      const target = {namespace: workload.namespace, pod: entry.name, ...(pod.spec?.nodeName ? {node: pod.spec.nodeName} : {}), container, label: streamLabel(entry.label, container, withContainer)};
      const start = entry.initial ? backlog : sinceStart(instance.startedAt);
      entry.streams.set(container, new ContainerStream(cluster, target, start, plan.filter, sink, tuning, instance));
    }
  };

  const remove = (pod: LogPod) => {
    const uid = pod.metadata.uid ?? pod.metadata.name;
    const entry = followed.get(uid);
    if (!entry || entry.gone) return;
    entry.gone = true;
    for (const stream of entry.streams.values()) stream.finish();
    const streams = [...entry.streams.values()];
    void Promise.all(streams.map((stream) => stream.done)).then(() => {
      followed.delete(uid);
      if (streams.length > 0) sink.event({event: 'left', pod: entry.name, label: entry.label, reason: 'deleted'});
    });
  };

  // The pods listed already get their streams now, not after the watch has listed them again.
  for (const pod of listed) update(pod);
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const entry of followed.values()) for (const stream of entry.streams.values()) stream.checkIdle(now);
  }, Math.min(1000, tuning.idleMs / 4));
  try {
    await cluster.watch('v1', 'Pod', {
      namespace: workload.namespace,
      labelSelector: workload.selector,
      signal: options.signal,
      onEvent: (type, object) => (type === 'DELETED' ? remove(object as LogPod) : update(object as LogPod)),
    });
  } finally {
    clearInterval(watchdog);
    const streams = [...followed.values()].flatMap((entry) => [...entry.streams.values()]);
    for (const stream of streams) stream.stop();
    await Promise.all(streams.map((stream) => stream.done));
  }
}
