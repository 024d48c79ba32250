import {renderFields, renderTable} from './table.js';
import type {AppApplyResult} from '../app/apply.js';
import type {AppSummary, EnvironmentApps} from '../app/list.js';
import type {AppStatus} from '../app/status.js';
import {formatCpu, formatMemory} from '../top/usage.js';

/** What the app commands print for people (strings only: the commands write them). */

/** kubectl's AGE: 45s, 12m, 3h, 5d. */
export function formatAge(since: string | undefined, now = Date.now()): string {
  if (!since) return '-';
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 2 * 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 2 * 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

export function appListView(apps: readonly AppSummary[], namespace: string, options: {wide?: boolean; now?: number} = {}): string {
  if (apps.length === 0) return `No apps in namespace ${namespace}. Create one with: gshift app create NAME --stack STACK`;
  return appTable(apps.map((app) => ({app, namespace})), options);
}

/** `app list -A`: one table over a tenant's environments, with the environment first. */
export function tenantAppListView(environments: readonly EnvironmentApps[], options: {wide?: boolean; now?: number} = {}): string {
  const rows = environments.flatMap(({env, namespace, apps}) => apps.map((app) => ({app, namespace, env})));
  if (rows.length === 0) return `No apps in ${environments.map((entry) => entry.namespace).join(', ')}. Create one with: gshift app create NAME --stack STACK`;
  return appTable(rows, options);
}

function appTable(rows: readonly {app: AppSummary; namespace: string; env?: string}[], {wide = false, now = Date.now()}: {wide?: boolean; now?: number}): string {
  const withEnv = rows.some((row) => row.env !== undefined);
  return renderTable(
    [...(withEnv ? ['env'] : []), 'name', 'stack', 'image', 'ready', 'age', 'url', ...(wide ? ['namespace', 'created'] : [])],
    rows.map(({app, namespace, env}) => [
      ...(withEnv ? [env ?? '-'] : []),
      app.name,
      app.stack ?? '-',
      app.image ?? '-',
      `${app.ready}/${app.desired}`,
      formatAge(app.createdAt, now),
      app.url ?? '-',
      ...(wide ? [namespace, app.createdAt ?? '-'] : []),
    ]),
  );
}

export function appStatusView(status: AppStatus, {wide = false, now = Date.now()}: {wide?: boolean; now?: number} = {}): string {
  const sections: string[] = [];
  sections.push(
    renderFields([
      ['App', `${status.app} (namespace ${status.namespace})`],
      ['Stack', status.stack ?? '-'],
      ['Image', status.image ?? '-'],
      ['Revision', status.revision === undefined ? '-' : String(status.revision)],
      ['Replicas', `${status.ready}/${status.desired} ready, ${status.available} available`],
      ['Health', status.healthy ? 'healthy' : `not healthy: ${status.problem}`],
      ['URL', status.url ?? '-'],
      ['Usage', usageLine(status)],
      ...(status.autoscaler
        ? [['Autoscaler', `${status.autoscaler.current} replicas (min ${status.autoscaler.min}, max ${status.autoscaler.max}, wants ${status.autoscaler.desired}); ${status.autoscaler.metrics.join(', ') || 'no metrics'}`] as const]
        : []),
    ]),
  );
  if (status.conditions.length > 0) {
    sections.push(
      `Conditions:\n${indent(renderTable(['type', 'status', 'reason', 'message'], status.conditions.map((condition) => [condition.type, condition.status, condition.reason ?? '', condition.message ?? ''])))}`,
    );
  }
  const podHeaders = ['name', 'status', 'ready', 'restarts', 'age', ...(status.metricsAvailable ? ['cpu', 'cpu/req', 'memory', 'mem/req'] : []), ...(wide ? ['node', 'ip'] : [])];
  const podRows = status.pods.map((pod) => [
    pod.name,
    pod.status,
    pod.ready,
    pod.restarts > 0 && pod.lastTermination ? `${pod.restarts} (last: ${pod.lastTermination})` : String(pod.restarts),
    formatAge(pod.createdAt, now),
    ...(status.metricsAvailable ? [pod.cpu ?? '-', percent(pod.usage?.cpu.ofRequest), pod.memory ?? '-', percent(pod.usage?.memory.ofRequest)] : []),
    ...(wide ? [pod.node ?? '-', pod.ip ?? '-'] : []),
  ]);
  sections.push(status.pods.length > 0 ? `Pods:\n${indent(renderTable(podHeaders, podRows))}` : 'Pods: none');
  if (status.events.length > 0) {
    sections.push(
      `Recent events:\n${indent(renderTable(['age', 'type', 'reason', 'object', 'message'], status.events.map((event) => [formatAge(event.time, now), event.type, event.reason, event.object, event.count > 1 ? `${event.message} (×${event.count})` : event.message])))}`,
    );
  }
  return sections.join('\n\n');
}

const indent = (text: string) => text.replace(/^/gm, '  ');
const percent = (value: number | undefined) => (value === undefined ? '-' : `${value}%`);

/** "CPU 15m (8% of requests), memory 96Mi (38% of requests)", as `gshift top` adds it up. */
function usageLine(status: AppStatus): string {
  if (status.metricsApi === 'absent') return 'metrics API not available (no metrics-server)';
  if (status.metricsApi === 'unavailable') return 'metrics API not answering';
  const usage = status.usage;
  if (!usage) return 'no metrics for the pods yet';
  const of = (value: number | undefined) => (value === undefined ? '' : ` (${value}% of requests)`);
  return `CPU ${formatCpu(usage.cpu.used)}${of(usage.cpu.ofRequest)}, memory ${formatMemory(usage.memory.used)}${of(usage.memory.ofRequest)}`;
}

/** "deployment.apps/web configured" lines, as kubectl apply prints them, then what was pruned. */
export function applyLines(result: Pick<AppApplyResult, 'outcomes' | 'pruned' | 'kept'>, options: {dryRun?: boolean} = {}): string[] {
  const suffix = options.dryRun ? ' (server dry run)' : '';
  const name = (ref: {apiVersion: string; kind: string; name: string}) => {
    const group = ref.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : '';
    return `${ref.kind.toLowerCase()}${group}/${ref.name}`;
  };
  return [
    ...result.outcomes.map((outcome) => `${name(outcome.ref)} ${outcome.action}${suffix}`),
    ...result.pruned.map((ref) => `${name(ref)} pruned${suffix}`),
    ...result.kept.map((ref) => `${name(ref)} kept (holds data; --purge-data removes it)`),
  ];
}
