import type {Cluster, KubeObject} from '../cluster/index.js';
import {notFoundError} from '../errors.js';
import {APP_LABEL} from '../core/labels.js';
import {APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, PARENT_API_VERSION, PARENT_KIND, parseGroupKinds} from '../converge/applyset.js';
import {INPUTS_KEY, appApplysetId, parentRef} from './applyset.js';
import {byCodePoint} from '../core/order.js';

/** What the cluster records about one app: its ApplySet parent and the inputs it was rendered from. */
export interface AppRecord {
  app: string;
  namespace: string;
  id: string;
  parent: KubeObject;
  groupKinds: string[];
  /** The stored inputs (JSON), undefined when the parent has none (made by another tool). */
  inputs?: unknown;
}

/** The app's record, or undefined when gshift has not created an app of that name here. */
export async function readRecord(cluster: Cluster, namespace: string, app: string): Promise<AppRecord | undefined> {
  const parent = await cluster.get(parentRef(app, namespace));
  if (!parent) return undefined;
  return toRecord(parent, namespace, app);
}

/** Like `readRecord`, but a missing app is a NOT_FOUND error that says what exists instead. */
export async function requireRecord(cluster: Cluster, namespace: string, app: string): Promise<AppRecord> {
  const record = await readRecord(cluster, namespace, app);
  if (record) return record;
  const others = await listRecords(cluster, namespace);
  const known = others.map((other) => other.app);
  if (known.length === 0) await requireNamespaceToRead(cluster, namespace);
  throw notFoundError(
    `No app "${app}" in namespace "${namespace}"${known.length ? ` (apps there: ${known.join(', ')})` : ''}.`,
    known.length ? `pick one of the apps listed, or create it with gshift app create ${app} --stack STACK.` : `create it with gshift app create ${app} --stack STACK -n ${namespace}.`,
    {app, namespace, apps: known},
  );
}

/** A missing namespace, not a missing app, is what to report when the namespace is not there (readable or not: no error then). */
export async function requireNamespaceToRead(cluster: Cluster, namespace: string): Promise<void> {
  const found = await cluster.get({apiVersion: 'v1', kind: 'Namespace', name: namespace}).catch(() => true);
  if (!found) throw notFoundError(`The namespace "${namespace}" does not exist.`, 'check -n, or --tenant and --env (gshift tenant list shows the tenants).', {namespace});
}

/** Every app gshift created in the namespace, from their parents. */
export async function listRecords(cluster: Cluster, namespace: string): Promise<AppRecord[]> {
  const parents = await cluster.list(PARENT_API_VERSION, PARENT_KIND, {namespace, labelSelector: `${APPLYSET_ID_LABEL},${APP_LABEL}`});
  return parents.items
    .map((parent) => toRecord(parent, namespace, parent.metadata.labels?.[APP_LABEL] ?? ''))
    .filter((record) => record.app !== '' && record.id === appApplysetId(record.app, namespace))
    .sort((a, b) => byCodePoint(a.app, b.app));
}

function toRecord(parent: KubeObject, namespace: string, app: string): AppRecord {
  const data = (parent as {data?: Record<string, string>}).data ?? {};
  let inputs: unknown;
  try {
    inputs = data[INPUTS_KEY] ? JSON.parse(data[INPUTS_KEY]) : undefined;
  } catch {
    inputs = undefined;
  }
  return {
    app,
    namespace,
    id: parent.metadata.labels?.[APPLYSET_ID_LABEL] ?? appApplysetId(app, namespace),
    parent,
    groupKinds: parseGroupKinds(parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]),
    inputs,
  };
}
