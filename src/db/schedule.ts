import type {KubeObject} from '../cluster/index.js';
import {usageError} from '../errors.js';
import type {Engine} from './engines.js';
import {DB_LABEL} from './render.js';
import {byCodePoint} from '../core/order.js';

/**
 * Scheduled backups (`db backup NAME --schedule CRON [--keep N]`): a CronJob whose pod dumps the
 * database through its client Service onto a volume of backups and keeps the newest N; on a
 * CloudNativePG cluster, the operator's ScheduledBackup instead (whose cron has six fields,
 * seconds first).
 */
export interface BackupSchedule {
  /** Five fields (minute hour day-of-month month day-of-week), or a macro such as @daily. */
  schedule: string;
  keep: number;
}

export const BACKUP_LABEL = 'gshift.io/backup';
export const backupJobName = (database: string) => `${database}-backup`;
export const backupClaimName = (database: string) => `${database}-backups`;

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const FIELDS: Array<{name: string; min: number; max: number; names?: string[]}> = [
  {name: 'minute', min: 0, max: 59},
  {name: 'hour', min: 0, max: 23},
  {name: 'day of month', min: 1, max: 31},
  {name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']},
  {name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']},
];

/** A standard five-field cron expression (what a CronJob takes), checked field by field; returns it normalised. */
export function checkSchedule(schedule: string): string {
  const text = schedule.trim().replace(/\s+/g, ' ');
  if (MACROS.includes(text.toLowerCase())) return text.toLowerCase();
  const fields = text.split(' ');
  const example = 'e.g. --schedule "0 2 * * *" (every day at 02:00)';
  if (fields.length !== 5) throw usageError(`--schedule "${schedule}" has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron schedule has five: minute hour day-of-month month day-of-week.`, `${example}, or a macro such as @daily.`);
  fields.forEach((field, index) => {
    const rule = FIELDS[index]!;
    if (!validField(field, rule)) throw usageError(`--schedule "${schedule}": "${field}" is not a valid ${rule.name} (${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names.at(-1)}` : ''}, *, lists, ranges and /steps).`, `${example}.`);
  });
  return fields.join(' ');
}

function validField(field: string, rule: (typeof FIELDS)[number]): boolean {
  const value = (part: string) => {
    const named = rule.names?.indexOf(part.toLowerCase()) ?? -1;
    if (named >= 0) return named + (rule.min === 1 ? 1 : 0);
    return /^\d+$/.test(part) ? Number(part) : Number.NaN;
  };
  return field.split(',').every((item) => {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
    if (range === '*') return true;
    const [from, to, more] = range!.split('-');
    if (more !== undefined) return false;
    const low = value(from!);
    const high = to === undefined ? low : value(to);
    return low >= rule.min && high <= rule.max && low <= high;
  });
}

/** CloudNativePG's schedules have a seconds field first: "0 2 * * *" becomes "0 0 2 * * *". */
export function toSixFieldSchedule(schedule: string): string {
  const checked = checkSchedule(schedule);
  return checked.startsWith('@') ? checked : `0 ${checked}`;
}

type Json = Record<string, any>;

/** The dump the backup job runs against the database's client Service; the password comes from the Secret by reference. */
function jobScript(engine: Engine, keep: number): string {
  const extension = engine.name === 'postgresql' ? 'dump' : engine.name === 'redis' ? 'rdb' : 'sql';
  const dump =
    engine.name === 'postgresql'
      ? 'pg_dump --format=custom -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" > "$f.partial"'
      : engine.name === 'redis'
        ? 'redis-cli -h "$DB_HOST" -p "$DB_PORT" --rdb "$f.partial" >&2'
        : '"$(command -v mariadb-dump || command -v mysqldump)" --single-transaction --no-tablespaces -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER" "$DB_NAME" > "$f.partial"';
  return [
    'set -e',
    `f="/backups/$(date -u +%Y%m%dT%H%M%SZ).${extension}"`,
    dump,
    'mv "$f.partial" "$f"',
    // The newest `keep` stay; older ones, and partial files of failed runs, go.
    `ls -1t /backups/*.${extension} | tail -n +${keep + 1} | xargs -r rm -f --`,
    'rm -f /backups/*.partial',
    'echo "wrote $f ($(wc -c < "$f") bytes)"',
  ].join('\n');
}

const PASSWORD_VARIABLE: Record<Engine['name'], string> = {postgresql: 'PGPASSWORD', mariadb: 'MYSQL_PWD', mysql: 'MYSQL_PWD', redis: 'REDISCLI_AUTH'};

/**
 * The CronJob and its backups claim, from the database's own StatefulSet: the same image (it has
 * the dump client), the same security settings (Pod Security "restricted"), a volume as big as
 * the database's.
 */
export function renderBackupJob(input: {name: string; namespace: string; engine: Engine; labels: Record<string, string>; statefulSet: KubeObject; claimSpec: Json; backup: BackupSchedule}): KubeObject[] {
  const {name, namespace, engine, labels, backup} = input;
  const pod = (input.statefulSet.spec as Json).template.spec as Json;
  const server = (pod.containers as Json[])[0]!;
  const ref = (key: string) => ({valueFrom: {secretKeyRef: {name, key}}});
  const env: Json[] = [
    {name: 'DB_HOST', value: name},
    {name: 'DB_PORT', value: String(engine.port)},
    ...(engine.sql ? [{name: 'DB_USER', ...ref('username')}, {name: 'DB_NAME', ...ref('dbname')}] : []),
    {name: PASSWORD_VARIABLE[engine.name], ...ref('password')},
  ];
  const jobLabels = {...labels, [BACKUP_LABEL]: name};
  const claim: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name: backupClaimName(name), namespace, labels: jobLabels},
    spec: {accessModes: ['ReadWriteOnce'], resources: structuredClone(input.claimSpec.resources), ...(input.claimSpec.storageClassName ? {storageClassName: input.claimSpec.storageClassName} : {})},
  };
  const cronJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {name: backupJobName(name), namespace, labels: jobLabels, annotations: {'gshift.io/keep': String(backup.keep)}},
    spec: {
      schedule: checkSchedule(backup.schedule),
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: {labels: jobLabels},
        spec: {
          backoffLimit: 2,
          template: {
            metadata: {labels: {[DB_LABEL]: name, [BACKUP_LABEL]: name}},
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              ...(pod.securityContext ? {securityContext: structuredClone(pod.securityContext)} : {}),
              containers: [
                {
                  name: 'backup',
                  image: server.image,
                  command: ['sh', '-c', jobScript(engine, backup.keep)],
                  env,
                  volumeMounts: [{name: 'backups', mountPath: '/backups'}, {name: 'tmp', mountPath: '/tmp'}],
                  resources: {requests: {cpu: '50m', memory: '64Mi'}, limits: {cpu: '1', memory: '512Mi'}},
                  ...(server.securityContext ? {securityContext: structuredClone(server.securityContext)} : {}),
                },
              ],
              volumes: [{name: 'backups', persistentVolumeClaim: {claimName: backupClaimName(name)}}, {name: 'tmp', emptyDir: {}}],
            },
          },
        },
      },
    },
  };
  return [claim, cronJob];
}

/** CloudNativePG's ScheduledBackup for a Cluster (the operator keeps the backups by its retention policy). */
export function renderScheduledBackup(input: {name: string; namespace: string; labels: Record<string, string>; backup: BackupSchedule}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: {name: backupJobName(input.name), namespace: input.namespace, labels: {...input.labels, [BACKUP_LABEL]: input.name}},
    spec: {schedule: toSixFieldSchedule(input.backup.schedule), cluster: {name: input.name}, backupOwnerReference: 'self', method: 'volumeSnapshot'},
  };
}

/** What `db backups` shows: the schedules and their recent runs. */
export interface BackupSchedules {
  database: string;
  namespace: string;
  schedules: Array<{name: string; kind: string; schedule: string; keep?: number; suspended: boolean; lastSchedule?: string; lastSuccess?: string}>;
  runs: Array<{name: string; status: 'running' | 'succeeded' | 'failed'; started?: string; finished?: string}>;
}

export async function listBackupSchedules(cluster: import('../cluster/index.js').Cluster, namespace: string, database: string): Promise<BackupSchedules> {
  const {requireDbRecord} = await import('./inventory.js');
  await requireDbRecord(cluster, namespace, database);
  const selector = `${BACKUP_LABEL}=${database}`;
  const discovery = await cluster.discovery();
  const cnpg = discovery.hasKind('postgresql.cnpg.io/v1', 'ScheduledBackup');
  const [cronJobs, jobs, scheduled] = await Promise.all([
    cluster.list<Json>('batch/v1', 'CronJob', {namespace, labelSelector: selector}),
    cluster.list<Json>('batch/v1', 'Job', {namespace, labelSelector: selector}),
    cnpg ? cluster.list<Json>('postgresql.cnpg.io/v1', 'ScheduledBackup', {namespace, labelSelector: selector}) : Promise.resolve({items: [] as Json[]}),
  ]);
  const schedules = [
    ...cronJobs.items.map((job) => ({
      name: job.metadata.name as string,
      kind: 'CronJob',
      schedule: job.spec?.schedule as string,
      ...(job.metadata.annotations?.['gshift.io/keep'] ? {keep: Number(job.metadata.annotations['gshift.io/keep'])} : {}),
      suspended: Boolean(job.spec?.suspend),
      ...(job.status?.lastScheduleTime ? {lastSchedule: job.status.lastScheduleTime as string} : {}),
      ...(job.status?.lastSuccessfulTime ? {lastSuccess: job.status.lastSuccessfulTime as string} : {}),
    })),
    ...scheduled.items.map((backup) => ({
      name: backup.metadata.name as string,
      kind: 'ScheduledBackup',
      schedule: backup.spec?.schedule as string,
      suspended: Boolean(backup.spec?.suspend),
      ...(backup.status?.lastScheduleTime ? {lastSchedule: backup.status.lastScheduleTime as string} : {}),
    })),
  ];
  const runs = jobs.items
    .map((job) => ({
      name: job.metadata.name as string,
      status: (job.status?.succeeded ? 'succeeded' : job.status?.failed && !job.status?.active ? 'failed' : 'running') as 'running' | 'succeeded' | 'failed',
      ...(job.status?.startTime ? {started: job.status.startTime as string} : {}),
      ...(job.status?.completionTime ? {finished: job.status.completionTime as string} : {}),
    }))
    .sort((a, b) => byCodePoint(b.started ?? '', a.started ?? ''));
  return {database, namespace, schedules, runs};
}
