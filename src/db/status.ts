import type {Cluster, KubeObject} from '../cluster/index.js';
import {MASK} from '../core/secret-masking.js';
import {SECRET_KEYS} from './credentials.js';
import {type DbRecord, listDbRecords, requireDbRecord} from './inventory.js';
import {claimName} from './render.js';
import {byCodePoint} from '../core/order.js';

/** What `db list` and `db info` show about one database: never a credential. */
export interface DbStatus {
  name: string;
  namespace: string;
  engine?: string;
  version?: string;
  size?: string;
  storageClass?: string;
  /** The claim's phase (Bound, Pending), or "missing". */
  volume: string;
  ready: boolean;
  replicas: {desired: number; ready: number};
  /** The client Service's in-cluster host and the port. */
  host: string;
  port?: number;
  secret: string;
  attached: Array<{app: string; prefix: string}>;
  created?: string;
  /** --ha: the CloudNativePG cluster's state (phase, instances, primary). */
  ha?: import('./ha.js').ClusterState;
}

type Claim = KubeObject & {spec?: {storageClassName?: string; resources?: {requests?: {storage?: string}}}; status?: {phase?: string; capacity?: {storage?: string}}};
type StatefulSet = KubeObject & {spec?: {replicas?: number}; status?: {readyReplicas?: number}};

export async function databaseStatus(cluster: Cluster, record: DbRecord): Promise<DbStatus> {
  if (record.inputs?.ha) return haStatus(cluster, record);
  const {name, namespace} = record;
  const [claim, set] = await Promise.all([
    cluster.get<Claim>({apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claimName(name), namespace}),
    cluster.get<StatefulSet>({apiVersion: 'apps/v1', kind: 'StatefulSet', name, namespace}),
  ]);
  const desired = set?.spec?.replicas ?? 0;
  const ready = set?.status?.readyReplicas ?? 0;
  const {ENGINES} = await import('./engines.js');
  const engine = record.inputs ? (ENGINES as Record<string, {port: number} | undefined>)[record.inputs.engine] : undefined;
  const size = claim?.status?.capacity?.storage ?? claim?.spec?.resources?.requests?.storage ?? record.inputs?.size;
  const storageClass = claim?.spec?.storageClassName ?? record.inputs?.storageClass;
  return {
    ...recorded(record, size, storageClass),
    volume: claim ? (claim.status?.phase ?? 'Pending') : 'missing',
    ready: set !== undefined && desired > 0 && ready >= desired,
    replicas: {desired, ready},
    host: `${name}.${namespace}.svc`,
    ...(engine ? {port: engine.port} : {}),
    secret: name,
  };
}

/** What every database's status has from its record: name, engine, version, size and class, attached apps, age. */
function recorded(record: DbRecord, size: string | undefined, storageClass: string | undefined): Pick<DbStatus, 'name' | 'namespace' | 'engine' | 'version' | 'size' | 'storageClass' | 'attached' | 'created'> {
  return {
    name: record.name,
    namespace: record.namespace,
    ...(record.inputs ? {engine: record.inputs.engine, version: record.inputs.version} : {}),
    ...(size ? {size} : {}),
    ...(storageClass ? {storageClass} : {}),
    attached: record.attached,
    ...(record.parent.metadata.creationTimestamp ? {created: String(record.parent.metadata.creationTimestamp)} : {}),
  };
}

export async function listDatabases(cluster: Cluster, namespace: string): Promise<DbStatus[]> {
  const records = await listDbRecords(cluster, namespace);
  return Promise.all(records.map((record) => databaseStatus(cluster, record)));
}

export async function databaseInfo(cluster: Cluster, namespace: string, name: string): Promise<DbStatus> {
  return databaseStatus(cluster, await requireDbRecord(cluster, namespace, name));
}

/** `db credentials`: the Secret's keys; password and URIs masked unless reveal. */
export interface DbCredentials {
  database: string;
  namespace: string;
  secret: string;
  revealed: boolean;
  values: Record<string, string>;
}

const KEY_ORDER = ['host', 'port', 'username', 'password', 'dbname', 'uri', 'jdbc-uri', 'root-password'];

export async function readCredentials(cluster: Cluster, namespace: string, name: string, reveal: boolean): Promise<DbCredentials> {
  const [{secretValues}, {notFoundError}] = await Promise.all([import('../app/secret-values.js'), import('../errors.js')]);
  const record = await requireDbRecord(cluster, namespace, name);
  const {credentialsSecret} = await import('./ha.js');
  const found = await credentialsSecret(cluster, namespace, name, record.inputs?.ha ?? false);
  if (!found) throw notFoundError(`Database ${name} has no credentials Secret ${name} in ${namespace}.`, `create the database again with gshift db create ${name} (new credentials are generated).`, {database: name, namespace});
  const {secret, name: secretName} = found;
  const values = secretValues(secret);
  const ordered = Object.keys(values).sort((a, b) => rank(a) - rank(b) || byCodePoint(a, b));
  return {
    database: name,
    namespace,
    secret: secretName,
    revealed: reveal,
    values: Object.fromEntries(ordered.map((key) => [key, reveal || !SECRET_KEYS.has(key) ? values[key]! : MASK])),
  };
}

const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);

/** A CloudNativePG cluster: its status as the operator reports it, its claims by the operator's label. */
async function haStatus(cluster: Cluster, record: DbRecord): Promise<DbStatus> {
  const {name, namespace} = record;
  const {CNPG_CLUSTER_LABEL, appSecretName, readClusterState} = await import('./ha.js');
  const [state, claims, object] = await Promise.all([
    readClusterState(cluster, namespace, name),
    cluster.list<Claim>('v1', 'PersistentVolumeClaim', {namespace, labelSelector: `${CNPG_CLUSTER_LABEL}=${name}`}),
    cluster.get<KubeObject & {spec?: {storage?: {size?: string; storageClass?: string}}}>({apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name, namespace}),
  ]);
  const bound = claims.items.filter((claim) => claim.status?.phase === 'Bound').length;
  const size = object?.spec?.storage?.size ?? record.inputs?.size;
  const storageClass = object?.spec?.storage?.storageClass ?? record.inputs?.storageClass;
  return {
    ...recorded(record, size, storageClass),
    volume: claims.items.length === 0 ? 'missing' : `${bound}/${claims.items.length} Bound`,
    ready: state.ready,
    replicas: {desired: state.instances, ready: state.readyInstances},
    host: `${name}-rw.${namespace}.svc`,
    port: 5432,
    secret: appSecretName(name),
    ha: state,
  };
}
