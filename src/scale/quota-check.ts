import type {Cluster, KubeObject} from '../cluster/index.js';
import {TENANT_LABEL} from '../core/labels.js';
import {formatQuantity} from '../core/quantity.js';
import {GshiftError} from '../errors.js';
import type {Deployment, Pod} from '../rollout/objects.js';
import {type PodCharge, type QuotaShortfall, type QuotaState, parseQuotaRefusal, podCharge, quotaRoom, quotaShortfall, quotaStates} from './quota.js';

export interface QuotaPicture {
  quotas: QuotaState[];
  /** What one more pod of the app charges. */
  charge: PodCharge;
}

/**
 * The namespace's quotas and what one of the app's pods charges. A running pod's own resources
 * are what admission charged (LimitRange defaults included), so they are preferred to the template.
 */
export async function readQuotaPicture(cluster: Cluster, namespace: string, deployment: Deployment | undefined): Promise<QuotaPicture> {
  const selector = Object.entries(deployment?.spec?.selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',');
  const [quotas, pods] = await Promise.all([
    cluster.list('v1', 'ResourceQuota', {namespace}).then((list) => list.items),
    selector ? cluster.list<Pod>('v1', 'Pod', {namespace, labelSelector: selector}).then((list) => list.items) : Promise.resolve([] as Pod[]),
  ]);
  const running = pods.find((pod) => !pod.metadata.deletionTimestamp);
  const spec = (running?.spec ?? (deployment?.spec?.template as {spec?: object} | undefined)?.spec ?? {}) as Record<string, unknown>;
  return {quotas: quotaStates(quotas as KubeObject[] as Record<string, any>[]), charge: podCharge(spec)};
}

/** The refusal `scale` gives before changing anything: exit 15, which resource, used/hard, by how much. */
export function quotaRefusal(shortfall: Omit<QuotaShortfall, 'room'> & {room?: number}, context: {app: string; namespace: string; replicas: number; current: number; tenant?: string}): GshiftError {
  const {app, namespace, replicas, current} = context;
  const more = replicas - current;
  const most = shortfall.room === undefined ? undefined : current + shortfall.room;
  const room = most === undefined ? '' : most <= current ? `, or stay at ${current} replicas (no more fit)` : `, or scale to at most ${most} replicas (gshift scale ${app} --replicas ${most})`;
  return new GshiftError(
    'QUOTA_EXCEEDED',
    `The quota of ${namespace} does not allow ${replicas} replicas of ${app}: ${shortfall.resource} would be ${shortfall.over} over its limit of ${shortfall.hard} (${shortfall.used} used, ${more > 1 ? `${more} more pods request` : `1 more pod requests`} ${shortfall.requested}; ResourceQuota ${shortfall.quota}).`,
    {
      hint: `raise the quota (gshift tenant update ${context.tenant ?? 'TENANT'} --quota …)${room}.`,
      details: {app, namespace, replicas, current, ...shortfall},
    },
  );
}

/** Refuses a scale to `replicas` that the quota would not admit, before anything changes. */
export function checkQuota(picture: QuotaPicture, context: {app: string; namespace: string; replicas: number; current: number; tenant?: string}): void {
  const shortfall = quotaShortfall(picture.quotas, picture.charge, context.replicas - context.current);
  if (shortfall) throw quotaRefusal(shortfall, context);
}

/** A warning when the quota leaves room for fewer pods than the autoscaler's maximum. */
export function maxWarning(picture: QuotaPicture, context: {app: string; namespace: string; max: number; current: number}): string | undefined {
  const {room, quota, resource} = quotaRoom(picture.quotas, picture.charge);
  const most = context.current + room;
  if (!Number.isFinite(room) || most >= context.max) return undefined;
  const perPod = resource ? picture.charge[resource] : undefined;
  const state = picture.quotas.find((entry) => entry.name === quota);
  const detail = resource && state ? ` (${resource}: ${state.used[resource] ?? '0'} of ${state.hard[resource]} used${perPod ? `, each pod takes ${formatQuantity(perPod)}` : ''})` : '';
  return `the quota of ${context.namespace} leaves room for at most ${most} replicas of ${context.app}, below --max ${context.max}${detail}: the autoscaler will not get past ${most} unless the quota is raised (ResourceQuota ${quota}).`;
}

export const tenantOf = (deployment: Deployment | undefined) => deployment?.metadata.labels?.[TENANT_LABEL];

/**
 * A rollout that stopped because the ReplicaSet cannot create pods over the quota (its FailedCreate
 * events, caught while waiting): the same exit 15 and sentence as a refusal predicted up front.
 */
export function quotaFromRollout(error: unknown, context: {app: string; namespace: string; replicas: number; current: number; tenant?: string}): GshiftError | undefined {
  if (!(error instanceof GshiftError) || error.code !== 'ROLLOUT_FAILED' || error.details?.reason !== 'QuotaExceeded') return undefined;
  const events = (error.details.events ?? []) as {reason?: string; message?: string}[];
  const message = [...events].reverse().find((event) => event.reason === 'FailedCreate' && /exceeded quota/.test(event.message ?? ''))?.message ?? error.message;
  const shortfall = parseQuotaRefusal(message);
  if (!shortfall) return new GshiftError('QUOTA_EXCEEDED', error.message, {hint: error.hint, details: error.details, cause: error});
  const refusal = quotaRefusal(shortfall, context);
  return new GshiftError('QUOTA_EXCEEDED', refusal.message, {hint: refusal.hint, details: {...refusal.details, rollout: error.details}, cause: error});
}
