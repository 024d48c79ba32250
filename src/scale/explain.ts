/**
 * Why an app is or is not scaling, in plain words, from what the cluster reports: the
 * HorizontalPodAutoscaler's spec, status and conditions (ScalingActive, AbleToScale,
 * ScalingLimited), the containers' requests, whether the metrics API answers, and a quota
 * refusal. Pure: every case is a unit test on recorded objects.
 *
 * Users ask exactly this when `kubectl get hpa` shows `<unknown>` targets
 * (kubernetes/kubernetes#79365, #56165) or ScalingLimited holds it (#116387).
 */
import type {MetricsApiState} from '../top/read.js';

type Json = Record<string, any>;

export interface TargetView {
  /** cpu, memory, or the metric's name. */
  resource: string;
  /** Average utilisation aimed for, in % of the request. */
  target?: number;
  /** What the autoscaler last saw, in % of the request (undefined: `<unknown>`). */
  current?: number;
  /** The same as a quantity per pod, when the autoscaler reports one (e.g. 91m). */
  currentValue?: string;
}

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface AutoscalerView {
  min: number;
  max: number;
  current: number;
  desired: number;
  targets: TargetView[];
  conditions: ConditionView[];
  lastScaleTime?: string;
}

export type ScalingState = 'manual' | 'waiting' | 'not-scaling' | 'scaling-up' | 'scaling-down' | 'at-max' | 'at-min' | 'steady';

export interface Explanation {
  state: ScalingState;
  /** One sentence: what it does now. */
  summary: string;
  /** Why, one plain sentence each, most important first. */
  reasons: string[];
}

export interface ExplainInput {
  app: string;
  /** The Deployment's replicas. */
  replicas: {desired: number; ready: number};
  /** The HorizontalPodAutoscaler as read, if the app has one. */
  autoscaler?: Json;
  /** The pod template's containers (name and resources). */
  containers: readonly Json[];
  metricsApi: MetricsApiState;
  /** A recent quota refusal (FailedCreate) of the app's ReplicaSet, as the event said it. */
  quotaRefusal?: string;
}

const replicasWord = (count: number) => `${count} replica${count === 1 ? '' : 's'}`;
const RESOURCE_WORDS: Record<string, string> = {cpu: 'CPU', memory: 'memory'};
const word = (resource: string) => RESOURCE_WORDS[resource] ?? resource;

/** The autoscaler's bounds, targets and conditions, flattened for views and --json. */
export function autoscalerView(hpa: Json): AutoscalerView {
  const spec = hpa.spec ?? {};
  const status = hpa.status ?? {};
  const targets: TargetView[] = (spec.metrics ?? []).map((metric: Json) => {
    const name = metric.resource?.name ?? metric.containerResource?.name ?? metric.pods?.metric?.name ?? metric.external?.metric?.name ?? metric.object?.metric?.name ?? metric.type ?? 'metric';
    const seen = (status.currentMetrics ?? []).find((entry: Json) => (entry.resource?.name ?? entry.containerResource?.name) === name)?.[metric.type === 'ContainerResource' ? 'containerResource' : 'resource']?.current;
    const target = (metric.resource ?? metric.containerResource)?.target?.averageUtilization;
    return {
      resource: name,
      ...(target !== undefined ? {target} : {}),
      ...(seen?.averageUtilization !== undefined ? {current: seen.averageUtilization} : {}),
      ...(seen?.averageValue !== undefined ? {currentValue: seen.averageValue} : {}),
    };
  });
  return {
    min: spec.minReplicas ?? 1,
    max: spec.maxReplicas ?? 1,
    current: status.currentReplicas ?? 0,
    desired: status.desiredReplicas ?? 0,
    targets,
    conditions: (status.conditions ?? []).map(({type, status: value, reason, message}: Json) => ({type, status: value, ...(reason ? {reason} : {}), ...(message ? {message} : {})})),
    ...(status.lastScaleTime ? {lastScaleTime: status.lastScaleTime} : {}),
  };
}

/** "CPU 91% of request, target 50%", "memory <unknown>, target 80%". */
export function describeTarget(target: TargetView): string {
  const now = target.current !== undefined ? `${target.current}% of request` : '<unknown>';
  return `${word(target.resource)} ${now}${target.target !== undefined ? `, target ${target.target}%` : ''}`;
}

const METRICS_API_WORDS: Record<Exclude<MetricsApiState, 'available'>, string> = {
  absent: 'the metrics API (metrics.k8s.io) is not available on this cluster, so there are no CPU and memory figures to scale on (metrics-server is not installed)',
  unavailable: 'the metrics API (metrics.k8s.io) is registered but not answering (metrics-server is down or unreachable), so there are no CPU and memory figures to scale on',
};

function missingRequest(resource: string, container: string): string {
  return `no ${word(resource)} request on container ${container}, so ${word(resource)} utilisation cannot be computed`;
}

/** Targets in % of a request that some container has no request for: the HPA cannot compute those. */
function missingRequests(input: ExplainInput, view: AutoscalerView): string[] {
  return view.targets
    .filter((target) => target.target !== undefined && (target.resource === 'cpu' || target.resource === 'memory'))
    .flatMap((target) => input.containers.filter((container) => container.resources?.requests?.[target.resource] === undefined).map((container) => missingRequest(target.resource, container.name)));
}

/** ScalingActive=False in words; `known` holds what was already said, so the same cause is not said twice. */
function inactiveReason(condition: ConditionView, known: readonly string[], app: string): string | undefined {
  const message = condition.message ?? '';
  const missing = /missing request for (\w+)(?: in container "?([\w.-]+)"?)?/.exec(message);
  if (missing) {
    const sentence = missingRequest(missing[1]!, missing[2] ?? '?');
    return known.includes(sentence) ? undefined : sentence;
  }
  if (/unable to fetch metrics from resource metrics API|could not find the requested resource|pods\.metrics\.k8s\.io|the server is currently unable to handle the request/.test(message)) {
    return known.some((reason) => reason.startsWith('the metrics API')) ? undefined : METRICS_API_WORDS.unavailable;
  }
  if (/no metrics returned|did not receive metrics for/.test(message)) return 'there are no metrics for its pods yet (a pod reports a minute or so after it starts)';
  switch (condition.reason) {
    case 'ScalingDisabled':
      return `scaling is disabled because the Deployment was scaled to 0 (gshift scale ${app} --manual --replicas N brings it back)`;
    case 'FailedGetScale':
      return `the autoscaler cannot read the Deployment's replica count: ${message}`;
    default:
      return `${condition.reason ?? 'ScalingActive=False'}: ${message}`;
  }
}

function conditionOf(view: AutoscalerView, type: string): ConditionView | undefined {
  return view.conditions.find((condition) => condition.type === type);
}

export function explainScaling(input: ExplainInput): Explanation {
  const {app} = input;
  if (!input.autoscaler) {
    return {
      state: 'manual',
      summary: `${app} runs a fixed ${input.replicas.desired} replica${input.replicas.desired === 1 ? '' : 's'} (${input.replicas.ready} ready); no autoscaler changes that.`,
      reasons: [`gshift scale ${app} --min N --max M --cpu 70 adds one.`],
    };
  }
  const view = autoscalerView(input.autoscaler);
  const reasons: string[] = [];
  if (input.metricsApi !== 'available') reasons.push(METRICS_API_WORDS[input.metricsApi]);
  reasons.push(...missingRequests(input, view));
  const active = conditionOf(view, 'ScalingActive');
  if (active?.status === 'False') {
    const reason = inactiveReason(active, reasons, app);
    if (reason) reasons.push(reason);
  }
  const quota = input.quotaRefusal ? `the namespace's quota refuses new pods: ${input.quotaRefusal.replace(/^.*?exceeded quota: /, 'exceeded quota ')}` : undefined;
  const figures = view.targets.map(describeTarget).join(', ');
  const blocked = reasons.length > 0 || active?.status === 'False';
  if (blocked) {
    if (quota) reasons.push(quota);
    return {state: 'not-scaling', summary: `${app} is not autoscaling: it stays at ${replicasWord(view.current || input.replicas.desired)} (bounds ${view.min}–${view.max}).`, reasons};
  }
  if (!active) {
    return {state: 'waiting', summary: `${app}'s autoscaler (${view.min}–${view.max} replicas) has not looked at the app yet; it does so every 15 seconds.`, reasons: quota ? [quota] : []};
  }
  const able = conditionOf(view, 'AbleToScale');
  const limited = conditionOf(view, 'ScalingLimited');
  if (able?.status === 'False') reasons.push(`it cannot change the count right now: ${able.message ?? able.reason ?? ''}`.trim());
  if (able?.reason === 'ScaleDownStabilized') reasons.push('scale-down waits until the load has been lower for the whole stabilisation window (5 minutes), so a short dip does not remove pods the next peak needs');
  if (limited?.status === 'True') {
    if (limited.reason === 'TooManyReplicas') reasons.push(`it is at its maximum of ${view.max}: the load asks for more (raise it with gshift scale ${app} --max N)`);
    else if (limited.reason === 'TooFewReplicas') reasons.push(`it is at its minimum of ${view.min}: the load would allow fewer`);
    else if (limited.reason === 'ScaleUpLimit' || limited.reason === 'ScaleDownLimit') reasons.push(`its rate limit holds it back: ${limited.message ?? limited.reason}`);
  }
  if (quota) reasons.push(quota);
  const load = figures ? ` (${figures})` : '';
  if (view.desired > view.current) return {state: 'scaling-up', summary: `${app} is scaling up from ${view.current} to ${view.desired} replicas${load}.`, reasons};
  if (view.desired < view.current) return {state: 'scaling-down', summary: `${app} is scaling down from ${view.current} to ${view.desired} replicas${load}.`, reasons};
  if (limited?.status === 'True' && limited.reason === 'TooManyReplicas') return {state: 'at-max', summary: `${app} runs ${view.current} replicas, its maximum${load}.`, reasons};
  if (limited?.status === 'True' && limited.reason === 'TooFewReplicas') return {state: 'at-min', summary: `${app} runs ${view.current} replicas, its minimum${load}.`, reasons};
  return {state: 'steady', summary: `${app} is steady at ${view.current} replicas${load}.`, reasons};
}
