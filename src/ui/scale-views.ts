import type {ScaleResult} from '../scale/change.js';
import {describeTarget} from '../scale/explain.js';
import type {ScaleStatus} from '../scale/status.js';
import type {AutoscaleSettings} from '../render/parts.js';
import {formatAge} from './app-views.js';
import {renderFields, renderTable} from './table.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const indent = (text: string) => text.replace(/^/gm, '  ');

/** "2–10 replicas on CPU 70%, memory 80%" */
export function describeAutoscale(settings: AutoscaleSettings): string {
  const targets = [settings.cpu !== undefined ? `CPU ${settings.cpu}%` : '', settings.memory !== undefined ? `memory ${settings.memory}%` : ''].filter(Boolean);
  return `${settings.min}–${settings.max} replicas on ${targets.join(', ') || 'no target'} of requests`;
}

/** What `gshift scale` prints once it has changed something, and when there was nothing to change. */
export function scaleDoneLine(result: ScaleResult): {done: string; unchanged: string} {
  const {app, before, after} = result;
  if (result.change === 'autoscale') {
    const settings = describeAutoscale(after.autoscale!);
    return {done: `${app} is autoscaled: ${settings}${before.autoscale ? ` (was ${describeAutoscale(before.autoscale)})` : ` (was a fixed ${plural(before.replicas, 'replica')})`}.`, unchanged: `No changes: ${app} is already autoscaled (${settings}).`};
  }
  const count = plural(after.replicas!, 'replica');
  if (result.change === 'manual') {
    return {
      done: `${app} runs a fixed ${count}${before.autoscale ? `; its autoscaler (${describeAutoscale(before.autoscale)}) is removed` : before.replicas === after.replicas ? '' : ` (was ${before.replicas})`}.`,
      unchanged: `No changes: ${app} already runs a fixed ${count}.`,
    };
  }
  return {done: `Scaled ${app} from ${before.replicas} to ${count}.`, unchanged: `No changes: ${app} already runs ${count}.`};
}

export function scaleStatusView(status: ScaleStatus, {now = Date.now()}: {now?: number} = {}): string {
  const {replicas, autoscaler, explanation} = status;
  const sections = [
    renderFields([
      ['App', `${status.app} (namespace ${status.namespace})`],
      ['Replicas', `${replicas.desired} desired, ${replicas.ready} ready, ${replicas.available} available`],
      ['Scaling', autoscaler ? `autoscaled by HorizontalPodAutoscaler ${autoscaler.name}: ${autoscaler.min}–${autoscaler.max} replicas` : 'manual (a fixed count)'],
      ...(autoscaler
        ? ([
            ['Targets', autoscaler.targets.map(describeTarget).join(', ') || 'none'],
            ['Autoscaler', `${autoscaler.current} current, wants ${autoscaler.desired}${autoscaler.lastScaleTime ? `; last scaled ${formatAge(autoscaler.lastScaleTime, now)} ago` : ''}`],
          ] as const)
        : []),
      ['Metrics API', status.metricsApi === 'available' ? 'available' : status.metricsApi === 'absent' ? 'not available (no metrics-server)' : 'registered but not answering'],
    ]),
    `${explanation.summary}${explanation.reasons.length > 0 ? `\n${explanation.reasons.map((reason) => `  - ${reason}`).join('\n')}` : ''}`,
  ];
  if (autoscaler && autoscaler.conditions.length > 0) {
    sections.push(`Conditions:\n${indent(renderTable(['type', 'status', 'reason', 'message'], autoscaler.conditions.map((condition) => [condition.type, condition.status, condition.reason ?? '', condition.message ?? ''])))}`);
  }
  sections.push(
    status.events.length > 0
      ? `Scaling events:\n${indent(renderTable(['age', 'type', 'reason', 'object', 'message'], status.events.map((event) => [formatAge(event.time, now), event.type, event.reason, event.object, event.count > 1 ? `${event.message} (×${event.count})` : event.message])))}`
      : 'Scaling events: none recently',
  );
  return sections.join('\n\n');
}
