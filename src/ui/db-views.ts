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
    ['Credentials', `Secret ${db.secret} (gshift db credentials ${db.name})`],
    ['Attached', db.attached.length > 0 ? db.attached.map((entry) => `${entry.app} (${entry.prefix}_*)`).join(', ') : 'no apps'],
  ]);
}

export function dbCredentialsView(credentials: DbCredentials): string {
  const fields = Object.entries(credentials.values) as Array<[string, string]>;
  const note = credentials.revealed ? '' : '\n(password and URIs masked: add --reveal to show them)';
  return `${renderFields(fields)}${note}`;
}
