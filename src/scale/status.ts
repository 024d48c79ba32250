import type {Session} from '../core/session.js';
import {labelSelectorString, type KubeEvent, type ReplicaSet} from '../rollout/objects.js';
import {recentEvents, type EventSummary} from '../app/status.js';
import {readPodMetrics, type MetricsApiState} from '../top/read.js';
import {type AutoscalerView, autoscalerView, type Explanation, explainScaling} from './explain.js';
import {readSubject} from './subject.js';

/** `gshift scale APP`: the count, the autoscaler and why it does what it does, and the last scaling events. */
export interface ScaleStatus {
  app: string;
  namespace: string;
  replicas: {desired: number; ready: number; available: number};
  mode: 'manual' | 'autoscaled';
  autoscaler?: AutoscalerView & {name: string};
  metricsApi: MetricsApiState;
  explanation: Explanation;
  events: EventSummary[];
}

// What changes or blocks a count: the autoscaler's decisions and failures, the Deployment's scaling, pods that could not be made.
const SCALING_REASONS = new Set(['SuccessfulRescale', 'FailedRescale', 'FailedGetResourceMetric', 'FailedGetContainerResourceMetric', 'FailedComputeMetricsReplicas', 'FailedGetScale', 'FailedUpdateStatus', 'InvalidSelector', 'ScalingReplicaSet', 'FailedCreate']);

export async function scaleStatus(session: Session, app: string): Promise<ScaleStatus> {
  const {cluster} = session;
  const subject = await readSubject(session, app);
  const {namespace, deployment, autoscaler} = subject;
  const selector = labelSelectorString(deployment?.spec?.selector);
  const [events, replicaSets, metrics] = await Promise.all([
    cluster.list<KubeEvent>('v1', 'Event', {namespace}).then((list) => list.items),
    selector ? cluster.list<ReplicaSet>('apps/v1', 'ReplicaSet', {namespace, labelSelector: selector}).then((list) => list.items) : Promise.resolve([] as ReplicaSet[]),
    readPodMetrics(cluster, namespace, selector || undefined),
  ]);
  const names = new Set([app, autoscaler?.metadata.name, ...replicaSets.map((replicaSet) => replicaSet.metadata.name)].filter(Boolean));
  const about = (event: KubeEvent) => names.has(event.involvedObject?.name ?? '') && SCALING_REASONS.has(event.reason ?? '');
  const scaling = recentEvents(events, about, 8);
  const status = deployment?.status ?? {};
  const replicas = {desired: deployment?.spec?.replicas ?? 0, ready: status.readyReplicas ?? 0, available: status.availableReplicas ?? 0};
  // Only a refusal that still holds: the newest ReplicaSet's FailedCreate, when it is the newest word on it.
  const refusal = scaling.find((event) => event.reason === 'FailedCreate' && /exceeded quota/.test(event.message) && replicas.ready < replicas.desired);
  const containers = ((deployment?.spec?.template as {spec?: {containers?: object[]}} | undefined)?.spec?.containers ?? []) as Record<string, any>[];
  const explanation = explainScaling({
    app,
    replicas,
    ...(autoscaler ? {autoscaler} : {}),
    containers,
    metricsApi: metrics.state,
    ...(refusal ? {quotaRefusal: refusal.message} : {}),
  });
  return {
    app,
    namespace,
    replicas,
    mode: autoscaler ? 'autoscaled' : 'manual',
    ...(autoscaler ? {autoscaler: {name: autoscaler.metadata.name!, ...autoscalerView(autoscaler)}} : {}),
    metricsApi: metrics.state,
    explanation,
    events: scaling,
  };
}
