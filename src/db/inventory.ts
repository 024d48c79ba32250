import type {Cluster, KubeObject} from '../cluster/index.js';
import {APPLYSET_ID_LABEL, PARENT_API_VERSION, PARENT_KIND, type SetSpec, parentRef, setId} from '../converge/applyset.js';
import {notFoundError} from '../errors.js';
import {type DbInputs, readDbInputs} from './inputs.js';
import {DB_LABEL} from './render.js';
import {byCodePoint} from '../core/order.js';

/**
 * A database is one ApplySet (see converge/), like an app: its parent ConfigMap `gshift-db-<name>`
 * records the inputs it was created from and the apps attached to it.
 */
export const INPUTS_KEY = 'inputs.json';
export const ATTACHED_KEY = 'attached.json';

export const dbParentName = (name: string) => `gshift-db-${name}`;
export const dbParentRef = (name: string, namespace: string) => parentRef(dbParentName(name), namespace);

/** A binding of the database to an app: the app's env variables start with `prefix`. */
export interface Attachment {
  app: string;
  prefix: string;
}

export interface DbRecord {
  name: string;
  namespace: string;
  parent: KubeObject;
  inputs?: DbInputs;
  attached: Attachment[];
}

export function dbSet(spec: {name: string; namespace: string; tooling: string; labels?: Record<string, string>; inputs: DbInputs; attached: readonly Attachment[]}): SetSpec {
  return {
    name: dbParentName(spec.name),
    namespace: spec.namespace,
    tooling: spec.tooling,
    memberLabels: {[DB_LABEL]: spec.name},
    // Sorted: the same apps give the same record, whichever command attached them in which order.
    data: {[INPUTS_KEY]: JSON.stringify(spec.inputs), [ATTACHED_KEY]: JSON.stringify(sortAttachments(spec.attached))},
    ...(spec.labels ? {labels: spec.labels} : {}),
  };
}

export function sortAttachments(attached: readonly Attachment[]): Attachment[] {
  return [...attached].sort((a, b) => (a.app < b.app ? -1 : a.app > b.app ? 1 : a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0)).map((entry) => ({app: entry.app, prefix: entry.prefix}));
}

export async function readDbRecord(cluster: Pick<Cluster, 'get'>, namespace: string, name: string): Promise<DbRecord | undefined> {
  const parent = await cluster.get(dbParentRef(name, namespace));
  return parent ? toRecord(parent, namespace, name) : undefined;
}

/** Like readDbRecord, but a missing database is NOT_FOUND naming the ones there are. */
export async function requireDbRecord(cluster: Cluster, namespace: string, name: string): Promise<DbRecord> {
  const record = await readDbRecord(cluster, namespace, name);
  if (record) return record;
  const known = (await listDbRecords(cluster, namespace)).map((other) => other.name);
  throw notFoundError(
    `No database "${name}" in namespace "${namespace}"${known.length ? ` (databases there: ${known.join(', ')})` : ''}.`,
    known.length ? 'pick one of the databases listed.' : `create it with gshift db create ${name} --engine postgresql -n ${namespace}.`,
    {database: name, namespace, databases: known},
  );
}

export async function listDbRecords(cluster: Cluster, namespace: string): Promise<DbRecord[]> {
  const parents = await cluster.list(PARENT_API_VERSION, PARENT_KIND, {namespace, labelSelector: `${APPLYSET_ID_LABEL},${DB_LABEL}`});
  return parents.items
    .map((parent) => toRecord(parent, namespace, parent.metadata.labels?.[DB_LABEL] ?? ''))
    .filter((record) => record.name !== '' && record.parent.metadata.labels?.[APPLYSET_ID_LABEL] === setId(dbParentName(record.name), namespace))
    .sort((a, b) => byCodePoint(a.name, b.name));
}

function toRecord(parent: KubeObject, namespace: string, name: string): DbRecord {
  const data = (parent as {data?: Record<string, string>}).data ?? {};
  const parse = (text: string | undefined): unknown => {
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const inputs = readDbInputs(parse(data[INPUTS_KEY]));
  const attachedRaw = parse(data[ATTACHED_KEY]);
  const attached = Array.isArray(attachedRaw)
    ? attachedRaw.filter((entry): entry is Attachment => typeof entry?.app === 'string' && typeof entry?.prefix === 'string')
    : [];
  return {name, namespace, parent, attached, ...(inputs ? {inputs} : {})};
}
