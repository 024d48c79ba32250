/**
 * CPU and memory in use, per pod and per app, against what the pods request and are limited to:
 * the figures of `gshift top` and `gshift app status`, joined from the metrics API's PodMetrics
 * and the pods' own resources. Pure.
 */
import {parseQuantity} from '../core/quantity.js';
import {APP_LABEL, INSTANCE_LABEL} from '../core/labels.js';
import {byCodePoint} from '../core/order.js';

type Json = Record<string, any>;

/** One resource: in use, and what the pod (or app) requests and is limited to, when every container says. */
export interface ResourceFigure {
  /** CPU in millicores, memory in bytes. */
  used: number;
  request?: number;
  limit?: number;
  /** used as % of request / limit, rounded. */
  ofRequest?: number;
  ofLimit?: number;
}

export interface UsageFigures {
  cpu: ResourceFigure;
  memory: ResourceFigure;
}

export interface PodUsage extends UsageFigures {
  pod: string;
  app: string;
  node?: string;
}

export interface AppUsage extends UsageFigures {
  app: string;
  pods: number;
}

export type UsageOrder = 'cpu' | 'memory' | 'name';

const millicores = (text: string | undefined) => (text === undefined ? undefined : Number(((parseQuantity(text)?.nanos ?? 0n) + 500_000n) / 1_000_000n));
const bytes = (text: string | undefined) => (text === undefined ? undefined : Number((parseQuantity(text)?.nanos ?? 0n) / 1_000_000_000n));

const DB_LABEL = 'gshift.io/db';

/** The app a pod belongs to: gshift's label, a database's, else the instance label. */
export function appOfPod(labels: Record<string, string> | undefined): string {
  return labels?.[APP_LABEL] ?? labels?.[DB_LABEL] ?? labels?.[INSTANCE_LABEL] ?? '-';
}

function figure(used: number, request: number | undefined, limit: number | undefined): ResourceFigure {
  const percent = (of: number | undefined) => (of && of > 0 ? Math.round((used * 100) / of) : undefined);
  return {
    used,
    ...(request !== undefined ? {request, ofRequest: percent(request)} : {}),
    ...(limit !== undefined ? {limit, ofLimit: percent(limit)} : {}),
  };
}

/** The sum over the containers, or undefined when one of them does not set it (no sum to compare with). */
function containerSum(containers: readonly Json[], kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): number | undefined {
  if (containers.length === 0) return undefined;
  const values = containers.map((container) => (resource === 'cpu' ? millicores : bytes)(container.resources?.[kind]?.[resource]));
  return values.some((value) => value === undefined) ? undefined : values.reduce((sum: number, value) => sum + value!, 0);
}

/** Each pod that the metrics API reports, with its requests and limits (pods it does not report are left out). */
export function podUsage(pods: readonly Json[], metrics: readonly Json[]): PodUsage[] {
  const byName = new Map(pods.map((pod) => [pod.metadata?.name as string, pod]));
  return metrics.flatMap((entry) => {
    const pod = byName.get(entry.metadata?.name);
    if (!pod) return [];
    const containers: Json[] = pod.spec?.containers ?? [];
    const usage = (resource: 'cpu' | 'memory') =>
      (entry.containers ?? []).reduce((sum: number, container: Json) => sum + ((resource === 'cpu' ? millicores : bytes)(container.usage?.[resource]) ?? 0), 0);
    return [
      {
        pod: pod.metadata.name,
        app: appOfPod(pod.metadata.labels),
        ...(pod.spec?.nodeName ? {node: pod.spec.nodeName} : {}),
        cpu: figure(usage('cpu'), containerSum(containers, 'requests', 'cpu'), containerSum(containers, 'limits', 'cpu')),
        memory: figure(usage('memory'), containerSum(containers, 'requests', 'memory'), containerSum(containers, 'limits', 'memory')),
      },
    ];
  });
}

/** The pods' figures added up per app. */
export function appUsage(pods: readonly PodUsage[]): AppUsage[] {
  const groups = new Map<string, PodUsage[]>();
  for (const pod of pods) groups.set(pod.app, [...(groups.get(pod.app) ?? []), pod]);
  const total = (members: PodUsage[], resource: 'cpu' | 'memory', field: 'request' | 'limit') =>
    members.some((member) => member[resource][field] === undefined) ? undefined : members.reduce((sum, member) => sum + member[resource][field]!, 0);
  return [...groups].map(([app, members]) => ({
    app,
    pods: members.length,
    cpu: figure(members.reduce((sum, member) => sum + member.cpu.used, 0), total(members, 'cpu', 'request'), total(members, 'cpu', 'limit')),
    memory: figure(members.reduce((sum, member) => sum + member.memory.used, 0), total(members, 'memory', 'request'), total(members, 'memory', 'limit')),
  }));
}

/** Busiest first (by CPU or memory), names breaking ties; or by name. */
export function sortUsage<T extends UsageFigures & ({pod: string} | {app: string})>(rows: readonly T[], order: UsageOrder): T[] {
  const name = (row: T) => ('pod' in row ? row.pod : row.app);
  return [...rows].sort((a, b) => (order === 'name' ? 0 : b[order].used - a[order].used) || byCodePoint(name(a), name(b)));
}

/** 91m, 1.25 (cores from 10 cores up). */
export function formatCpu(millis: number): string {
  return millis >= 10_000 ? `${(millis / 1000).toFixed(2)}` : `${millis}m`;
}

/** 24Mi, 1.5Gi, as kubectl top prints memory. */
export function formatMemory(value: number): string {
  const mebibytes = value / 2 ** 20;
  return mebibytes >= 10_240 ? `${(mebibytes / 1024).toFixed(1)}Gi` : `${Math.round(mebibytes)}Mi`;
}
