import type {Cluster, KubeObject} from '../cluster/index.js';
import {eventTime, labelSelectorString, type Condition, type Deployment, type KubeEvent, type Pod} from '../rollout/objects.js';
import {podReadyText, podRestarts, podStatusText} from '../rollout/pod-failures.js';
import {readStoredInputs} from './stored-inputs.js';
import {replicasOf, unhealthyReason, urlOf} from './health.js';
import {requireRecord} from './inventory.js';
import {imagesOf, revisionOf} from './revisions.js';
import {type MetricsApiState, readPodMetrics} from '../top/read.js';
import {type AppUsage, type PodUsage, appUsage, formatCpu, formatMemory, podUsage} from '../top/usage.js';
import {byCodePoint} from '../core/order.js';

export interface PodStatus {
  name: string;
  status: string;
  ready: string;
  restarts: number;
  /** Why the last container instance ended (OOMKilled, Error), when it restarted. */
  lastTermination?: string;
  node?: string;
  ip?: string;
  createdAt?: string;
  cpu?: string;
  memory?: string;
  /** In use against the pod's requests and limits (what `gshift top` shows). */
  usage?: Pick<PodUsage, 'cpu' | 'memory'>;
}

export interface EventSummary {
  time?: string;
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
}

export interface AutoscalerStatus {
  min: number;
  max: number;
  current: number;
  desired: number;
  /** "cpu 42% / 75%". */
  metrics: string[];
}

export interface AppStatus {
  app: string;
  namespace: string;
  stack?: string;
  image?: string;
  revision?: number;
  desired: number;
  ready: number;
  available: number;
  healthy: boolean;
  /** Why it is not healthy, when it is not. */
  problem?: string;
  url?: string;
  conditions: Pick<Condition, 'type' | 'status' | 'reason' | 'message'>[];
  pods: PodStatus[];
  autoscaler?: AutoscalerStatus;
  events: EventSummary[];
  /** False when the metrics API is not served or not answering: CPU and memory are then absent. */
  metricsAvailable: boolean;
  metricsApi: MetricsApiState;
  /** The app's pods together, against their requests and limits; null until the metrics API reports them. */
  usage: AppUsage | null;
}

const EVENT_LIMIT = 10;
const EVENT_KINDS = new Set(['Deployment', 'ReplicaSet', 'Pod', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'Route', 'Ingress']);

/** Everything `app status` shows, read in a handful of requests. */
export async function appStatus(cluster: Cluster, namespace: string, app: string): Promise<AppStatus> {
  const record = await requireRecord(cluster, namespace, app);
  const stored = readStoredInputs(record);
  const deployment = await cluster.get<Deployment>({apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace});
  const selector = labelSelectorString(deployment?.spec?.selector);
  const discovery = await cluster.discovery();
  const [pods, events, exposure, autoscaler, metrics] = await Promise.all([
    selector ? cluster.list<Pod>('v1', 'Pod', {namespace, labelSelector: selector}).then((list) => list.items) : Promise.resolve([] as Pod[]),
    cluster.list<KubeEvent>('v1', 'Event', {namespace}).then((list) => list.items),
    findExposure(cluster, namespace, app, discovery.has('route.openshift.io/v1')),
    discovery.has('autoscaling/v2') ? cluster.get({apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: app, namespace}) : Promise.resolve(undefined),
    // Without a Deployment there are no pods to match, but the answer still says whether the API is there.
    readPodMetrics(cluster, namespace, selector || 'gshift.io/no-deployment'),
  ]);
  const usage = podUsage(pods, metrics.items);
  const usageOf = new Map(usage.map((entry) => [entry.pod, entry]));

  const replicas = deployment ? replicasOf(deployment) : {desired: 0, ready: 0, available: 0, updated: 0, complete: false};
  const problem = deployment ? unhealthyReason(deployment, pods) : `Deployment ${app} does not exist (gshift app create ${app} makes it again)`;
  const related = new Set([app, ...pods.map((pod) => pod.metadata.name)]);
  // The app's own objects; Endpoints and EndpointSlices only echo the pods.
  const relevant = (event: KubeEvent) => EVENT_KINDS.has(event.involvedObject?.kind ?? '') && (related.has(event.involvedObject?.name ?? '') || (event.involvedObject?.name ?? '').startsWith(`${app}-`));
  return {
    app,
    namespace,
    stack: stored?.stack,
    image: deployment ? imagesOf(deployment.spec?.template)[0] : stored?.image,
    revision: deployment ? revisionOf(deployment) : undefined,
    desired: replicas.desired,
    ready: replicas.ready,
    available: replicas.available,
    healthy: problem === undefined,
    ...(problem ? {problem} : {}),
    url: urlOf(exposure),
    conditions: (deployment?.status?.conditions ?? []).map(({type, status, reason, message}) => ({type, status, reason, message})),
    pods: pods.map((pod) => podStatus(pod, usageOf.get(pod.metadata.name))),
    ...(autoscaler ? {autoscaler: autoscalerStatus(autoscaler)} : {}),
    events: recentEvents(events, relevant),
    metricsAvailable: metrics.state === 'available',
    metricsApi: metrics.state,
    usage: usage.length > 0 ? appUsage(usage.map((entry) => ({...entry, app})))[0]! : null,
  };
}

export async function findExposure(cluster: Cluster, namespace: string, app: string, routes: boolean): Promise<KubeObject | undefined> {
  if (routes) {
    const route = await cluster.get({apiVersion: 'route.openshift.io/v1', kind: 'Route', name: app, namespace});
    if (route) return route;
  }
  return cluster.get({apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: app, namespace});
}

function podStatus(pod: Pod, usage: PodUsage | undefined): PodStatus {
  const lastTermination = (pod.status?.containerStatuses ?? []).map((status) => status.lastState?.terminated?.reason).find(Boolean);
  return {
    name: pod.metadata.name,
    status: podStatusText(pod),
    ready: podReadyText(pod),
    restarts: podRestarts(pod),
    ...(lastTermination ? {lastTermination} : {}),
    ...(pod.spec?.nodeName ? {node: pod.spec.nodeName} : {}),
    ...((pod.status as {podIP?: string} | undefined)?.podIP ? {ip: (pod.status as {podIP: string}).podIP} : {}),
    createdAt: pod.metadata.creationTimestamp,
    ...(usage ? {cpu: formatCpu(usage.cpu.used), memory: formatMemory(usage.memory.used), usage: {cpu: usage.cpu, memory: usage.memory}} : {}),
  };
}

function autoscalerStatus(hpa: KubeObject): AutoscalerStatus {
  const spec = hpa.spec as {minReplicas?: number; maxReplicas: number; metrics?: {resource?: {name: string; target?: {averageUtilization?: number}}}[]};
  const status = (hpa.status ?? {}) as {currentReplicas?: number; desiredReplicas?: number; currentMetrics?: {resource?: {name: string; current?: {averageUtilization?: number}}}[]};
  const metrics = (spec.metrics ?? []).map((metric) => {
    const name = metric.resource?.name ?? 'metric';
    const current = status.currentMetrics?.find((entry) => entry.resource?.name === name)?.resource?.current?.averageUtilization;
    return `${name} ${current === undefined ? '<unknown>' : `${current}%`} / ${metric.resource?.target?.averageUtilization ?? '?'}%`;
  });
  return {min: spec.minReplicas ?? 1, max: spec.maxReplicas, current: status.currentReplicas ?? 0, desired: status.desiredReplicas ?? 0, metrics};
}

/** The newest events about the app's objects, newest first. */
export function recentEvents(events: readonly KubeEvent[], about: (event: KubeEvent) => boolean, limit = EVENT_LIMIT): EventSummary[] {
  return events
    .filter(about)
    .map((event) => ({
      time: eventTime(event),
      type: event.type ?? 'Normal',
      reason: event.reason ?? '',
      object: `${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`,
      message: (event.message ?? '').trim(),
      count: event.series?.count ?? event.count ?? 1,
    }))
    .sort((a, b) => byCodePoint(b.time ?? '', a.time ?? ''))
    .slice(0, limit);
}

/** Why the app's Deployments are not healthy right now (one quick read each), or undefined when they are. */
export async function unhealthyApp(cluster: Cluster, namespace: string, deployments: readonly string[]): Promise<string | undefined> {
  for (const name of deployments) {
    const deployment = await cluster.get<Deployment>({apiVersion: 'apps/v1', kind: 'Deployment', name, namespace});
    if (!deployment) return `Deployment ${name} does not exist`;
    const selector = labelSelectorString(deployment.spec?.selector);
    const pods = selector ? (await cluster.list<Pod>('v1', 'Pod', {namespace, labelSelector: selector})).items : [];
    const problem = unhealthyReason(deployment, pods);
    if (problem) return problem;
  }
  return undefined;
}
