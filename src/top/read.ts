import type {Cluster, KubeObject} from '../cluster/index.js';
import {APP_LABEL} from '../core/labels.js';
import {GshiftError} from '../errors.js';
import {type AppUsage, type PodUsage, type UsageOrder, appUsage, podUsage, sortUsage} from './usage.js';

export const METRICS_API = 'metrics.k8s.io/v1beta1';

/** Whether the metrics API answers: served and answering, not served at all, or registered but failing. */
export type MetricsApiState = 'available' | 'absent' | 'unavailable';

export interface MetricsReading {
  state: MetricsApiState;
  /** PodMetrics, when available. */
  items: KubeObject[];
  /** What the server said, when it is unavailable. */
  problem?: string;
}

/**
 * The namespace's PodMetrics (of the selected pods). A cluster without metrics-server is not an
 * error here: the answer says the API is absent (not served) or unavailable (served, failing).
 * A user who may not read metrics is told so, as for any other read.
 */
export async function readPodMetrics(cluster: Cluster, namespace: string, labelSelector?: string): Promise<MetricsReading> {
  const discovery = await cluster.discovery();
  if (!discovery.has(METRICS_API)) return {state: 'absent', items: []};
  try {
    const list = await cluster.list(METRICS_API, 'PodMetrics', {namespace, ...(labelSelector ? {labelSelector} : {})});
    return {state: 'available', items: list.items};
  } catch (error) {
    if (error instanceof GshiftError && (error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED')) throw error;
    return {state: 'unavailable', items: [], problem: error instanceof Error ? error.message : String(error)};
  }
}

export interface TopResult {
  namespace: string;
  app?: string;
  metricsApi: MetricsApiState;
  /** One line for people when there are no figures. */
  message?: string;
  pods: PodUsage[];
  apps: AppUsage[];
}

/** What `gshift top` says instead of figures when the metrics API does not answer. */
export function metricsUnavailableMessage(reading: Pick<MetricsReading, 'state' | 'problem'>): string | undefined {
  if (reading.state === 'absent') return 'The metrics API (metrics.k8s.io) is not available on this cluster, so there are no CPU and memory figures (metrics-server is not installed).';
  if (reading.state === 'unavailable') return `The metrics API (metrics.k8s.io) is not answering, so there are no CPU and memory figures right now${reading.problem ? ` (${reading.problem.replace(/\.$/, '')})` : ''}.`;
  return undefined;
}

/** `gshift top [APP]`: the namespace's pods (or one app's) with their usage, busiest first, and the totals per app. */
export async function readTop(cluster: Cluster, namespace: string, options: {app?: string; order: UsageOrder}): Promise<TopResult> {
  if (options.app) {
    const {requireRecord} = await import('../app/inventory.js');
    await requireRecord(cluster, namespace, options.app);
  }
  const selector = options.app ? `${APP_LABEL}=${options.app}` : undefined;
  const [reading, pods] = await Promise.all([
    readPodMetrics(cluster, namespace, selector),
    cluster.list('v1', 'Pod', {namespace, ...(selector ? {labelSelector: selector} : {})}).then((list) => list.items),
  ]);
  const message = metricsUnavailableMessage(reading);
  const perPod = podUsage(pods, reading.items);
  return {
    namespace,
    ...(options.app ? {app: options.app} : {}),
    metricsApi: reading.state,
    ...(message ? {message} : {}),
    pods: sortUsage(perPod, options.order),
    apps: sortUsage(appUsage(perPod), options.order),
  };
}
