import type {DbCredentials, DbStatus} from '../db/status.js';
import {formatAge} from './app-views.js';
import {renderFields, renderTable} from './table.js';

/** What the db commands print for people (strings only: the commands write them). */

export function dbListView(databases: readonly DbStatus[], namespace: string, options: {now?: number} = {}): string {
  if (databases.length === 0) return `No databases in namespace ${namespace}. Create one with: gshift db create NAME --engine postgresql`;
  return renderTable(
    ['name', 'engine', 'version', 'size', 'volume', 'ready', 'attached', 'age'],
    databases.map((db) => [
      db.name,
      db.engine ?? '-',
      db.version ?? '-',
      db.size ?? '-',
      db.volume,
      `${db.replicas.ready}/${db.replicas.desired}`,
      db.attached.length > 0 ? db.attached.map((entry) => entry.app).join(',') : '-',
      formatAge(db.created, options.now),
    ]),
  );
}

export function dbInfoView(db: DbStatus): string {
  return renderFields([
    ['Database', db.name],
    ['Namespace', db.namespace],
    ['Engine', `${db.engine ?? '-'} ${db.version ?? ''}`.trim()],
    ['Address', db.port ? `${db.host}:${db.port}` : db.host],
    ['Volume', `${db.volume}${db.size ? `, ${db.size}` : ''}${db.storageClass ? `, class ${db.storageClass}` : ''}`],
    ['Ready', `${db.ready ? 'yes' : 'no'} (${db.replicas.ready}/${db.replicas.desired})`],
    ...(db.ha ? [['CloudNativePG', `${db.ha.phase ?? 'no status yet'}; ${db.ha.readyInstances}/${db.ha.instances} instances ready; primary ${db.ha.currentPrimary ?? '-'}${db.ha.targetPrimary && db.ha.targetPrimary !== db.ha.currentPrimary ? ` (switching to ${db.ha.targetPrimary})` : ''}`] as [string, string]] : []),
    ['Credentials', `Secret ${db.secret} (gshift db credentials ${db.name})`],
    ['Attached', db.attached.length > 0 ? db.attached.map((entry) => `${entry.app} (${entry.prefix}_*)`).join(', ') : 'no apps'],
  ]);
}

export function dbCredentialsView(credentials: DbCredentials): string {
  const fields = Object.entries(credentials.values) as Array<[string, string]>;
  const note = credentials.revealed ? '' : '\n(password and URIs masked: add --reveal to show them)';
  return `${renderFields(fields)}${note}`;
}

/** 1536 → "1.5 kB" (decimal units, as file managers and pg_dump's users expect). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function dbBackupsView(backups: import('../db/schedule.js').BackupSchedules): string {
  if (backups.schedules.length === 0) return `Database ${backups.database} has no scheduled backups. Schedule them with: gshift db backup ${backups.database} --schedule "0 2 * * *"`;
  const schedules = renderTable(
    ['schedule', 'kind', 'cron', 'keep', 'last run', 'last success'],
    backups.schedules.map((entry) => [entry.name, entry.kind, `${entry.schedule}${entry.suspended ? ' (suspended)' : ''}`, entry.keep === undefined ? '-' : String(entry.keep), entry.lastSchedule ?? 'never', entry.lastSuccess ?? '-']),
  );
  if (backups.runs.length === 0) return `${schedules}\n\nNo runs yet.`;
  return `${schedules}\n\n${renderTable(['run', 'status', 'started', 'finished'], backups.runs.map((run) => [run.name, run.status, run.started ?? '-', run.finished ?? '-']))}`;
}
