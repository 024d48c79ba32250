import {usageError} from '../errors.js';
import {brokenLabelRule} from '../core/names.js';
import {lineFilter, type LineFilter} from './filters.js';
import {normaliseStamp} from './line.js';

/** Lines per pod shown before following (or at all, without --follow) unless --tail says otherwise. */
export const DEFAULT_TAIL = 50;

/** What the user asked `gshift logs` for, as parsed flags. */
export interface LogsRequest {
  app?: string;
  db?: string;
  follow?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  /** -1: all lines. */
  tail?: number;
  container?: string;
  allContainers?: boolean;
  previous?: boolean;
  grep?: string;
  exclude?: string;
}

export interface WorkloadName {
  kind: 'app' | 'db';
  name: string;
}

/** The request checked and completed: everything that can be decided before the cluster is asked. */
export interface LogPlan {
  workload: WorkloadName;
  follow: boolean;
  sinceSeconds?: number;
  /** RFC 3339 as the server takes it (whole seconds). */
  sinceTime?: string;
  /** undefined: every line. */
  tailLines?: number;
  container?: string;
  allContainers: boolean;
  previous: boolean;
  filter: LineFilter;
}

/** Validates the request (kubectl's Complete + Validate); throws USAGE errors naming the flag. */
export function planLogs(request: LogsRequest): LogPlan {
  const workload = workloadName(request);
  const tail = request.tail ?? DEFAULT_TAIL;
  if (!Number.isInteger(tail) || tail < -1) throw usageError(`--tail must be a number of lines, or -1 for all of them, not ${tail}.`, 'pass --tail 100, or --tail -1 for the whole log.');
  if (request.previous && request.follow) throw usageError('--previous shows the log of a container that has ended: it cannot be followed.', 'leave out --follow, or leave out --previous.');
  if (request.sinceSeconds !== undefined && request.sinceSeconds < 1000) throw usageError('--since must be at least one second.', 'pass --since 30s, 10m or 2h.');
  const filter = lineFilter(request.grep, request.exclude);
  return {
    workload,
    follow: Boolean(request.follow),
    ...(request.sinceSeconds !== undefined ? {sinceSeconds: Math.floor(request.sinceSeconds / 1000)} : {}),
    ...(request.sinceTime !== undefined ? {sinceTime: sinceTimeOf(request.sinceTime)} : {}),
    ...tailOf(request, tail),
    ...(request.container ? {container: request.container} : {}),
    allContainers: Boolean(request.allContainers),
    previous: Boolean(request.previous),
    filter,
  };
}

/** --tail wins; else --since/--since-time mean every line since then; else the default backlog. */
function tailOf(request: LogsRequest, tail: number): {tailLines?: number} {
  if (request.tail !== undefined) return tail >= 0 ? {tailLines: tail} : {};
  return request.sinceSeconds !== undefined || request.sinceTime !== undefined ? {} : {tailLines: DEFAULT_TAIL};
}

function workloadName(request: LogsRequest): WorkloadName {
  if (request.app && request.db) throw usageError(`Name either an app or a database, not both (${request.app} and --db ${request.db}).`, `run gshift logs ${request.app}, or gshift logs --db ${request.db}.`);
  const workload: WorkloadName | undefined = request.app ? {kind: 'app', name: request.app} : request.db ? {kind: 'db', name: request.db} : undefined;
  if (!workload) throw usageError('Name the app whose logs to show, or a database with --db.', 'run gshift logs APP, or gshift logs --db NAME (gshift app list shows the apps).');
  const rule = brokenLabelRule(workload.name);
  if (rule) throw usageError(`"${workload.name}" is not a valid ${workload.kind === 'app' ? 'app' : 'database'} name: ${rule}.`, 'gshift app list shows the names.');
  return workload;
}

/** --since-time: RFC 3339; fractions of a second are dropped, as the server would. */
function sinceTimeOf(text: string): string {
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : undefined;
  if (!withZone || Number.isNaN(withZone.getTime())) {
    throw usageError(`--since-time "${text}" is not an RFC 3339 time.`, 'write it like 2026-05-01T09:30:00Z (or with an offset, +02:00).');
  }
  const stamp = normaliseStamp(withZone.toISOString());
  return `${stamp!.slice(0, 19)}Z`;
}
