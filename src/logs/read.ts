import type {Cluster} from '../cluster/index.js';
import {GshiftError, usageError} from '../errors.js';
import type {LogEntry, LogSink} from './events.js';
import {splitStamp} from './line.js';
import {mergeByTime} from './merge.js';
import {podLabel, streamLabel} from './pod-label.js';
import type {LogPlan} from './request.js';
import {chooseContainers, containerInstance, type LogPod, type Workload} from './workload.js';
import {byCodePoint} from '../core/order.js';

/** How many logs are read at once without --follow. */
const READ_CONCURRENCY = 16;

export interface ReadSummary {
  pods: number;
  lines: number;
}

/** The pods of the workload, and the containers to show, checked against what the pods have. */
export async function podsAndContainers(cluster: Cluster, workload: Workload, plan: LogPlan): Promise<{pods: LogPod[]; containers: string[]}> {
  const pods = (await cluster.list<LogPod>('v1', 'Pod', {namespace: workload.namespace, labelSelector: workload.selector})).items.sort((a, b) => byCodePoint(a.metadata.name, b.metadata.name));
  const containers = chooseContainers(workload, pods, plan.container, plan.allContainers);
  return {pods, containers};
}

/**
 * Without --follow: each pod's recent lines (the plan's tail or since), merged across pods
 * in time order, then delivered to the sink.
 */
export async function readWorkloadLogs(cluster: Cluster, workload: Workload, plan: LogPlan, sink: LogSink): Promise<ReadSummary> {
  let {pods, containers} = await podsAndContainers(cluster, workload, plan);
  if (plan.previous) {
    pods = pods.filter((pod) => containers.some((container) => containerInstance(pod, container).restarts > 0));
    if (pods.length === 0) {
      throw usageError(`No ${containers.join(' or ')} container of ${workload.name} has restarted, so there is no previous log to show.`, `leave out --previous to see the current log: gshift logs ${workload.kind === 'db' ? `--db ${workload.name}` : workload.name}.`);
    }
  }
  const jobs = pods.flatMap((pod) => containers.map((container) => ({pod, container})));
  const streams: LogEntry[][] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < jobs.length; index = next++) {
      const {pod, container} = jobs[index]!;
      streams[index] = await readOne(cluster, workload, plan, pod, container, containers.length > 1, sink);
    }
  };
  await Promise.all(Array.from({length: Math.min(READ_CONCURRENCY, jobs.length)}, worker));
  const merged = mergeByTime(streams);
  sink.event({event: 'labels', labels: [...new Set(merged.map((entry) => entry.label))]});
  for (const entry of merged) await sink.line(entry);
  return {pods: pods.length, lines: merged.length};
}

async function readOne(cluster: Cluster, workload: Workload, plan: LogPlan, pod: LogPod, container: string, withContainer: boolean, sink: LogSink): Promise<LogEntry[]> {
  const label = streamLabel(podLabel(pod.metadata.name, pod.metadata.labels), container, withContainer);
  const instance = containerInstance(pod, container);
  if (plan.previous && instance.restarts === 0) return [];
  if (!plan.previous && !instance.started) {
    sink.event({event: 'skipped', pod: pod.metadata.name, label, container, reason: 'the container has not started yet'});
    return [];
  }
  let text: string;
  try {
    text = await cluster.readLogs(workload.namespace, pod.metadata.name, container, {
      timestamps: true,
      previous: plan.previous || undefined,
      tailLines: plan.tailLines,
      sinceSeconds: plan.sinceSeconds,
      sinceTime: plan.sinceTime,
    });
  } catch (error) {
    // A pod that went away or a container between instances: the others still have something to say.
    if (error instanceof GshiftError && (error.code === 'NOT_FOUND' || error.code === 'USAGE' || error.code === 'REJECTED')) {
      sink.event({event: 'skipped', pod: pod.metadata.name, label, container, reason: error.message});
      return [];
    }
    throw error;
  }
  const node = pod.spec?.nodeName;
  const entries: LogEntry[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const {time, stamp, message} = splitStamp(raw);
    if (!plan.filter(message)) continue;
    entries.push({pod: pod.metadata.name, container, ...(node ? {node} : {}), ...(time ? {time} : {}), ...(stamp ? {stamp} : {}), message, label});
  }
  return entries;
}
