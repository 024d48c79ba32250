import type {Cluster, KubeObject} from '../cluster/index.js';
import {GshiftError, notFoundError} from '../errors.js';
import type {CredentialVariables} from './dumps.js';
import {type Engine, ENGINES, type EngineName} from './engines.js';
import {type DbRecord, requireDbRecord} from './inventory.js';
import {podName} from './render.js';

/**
 * The pod that serves a database right now, and how to reach its server: what connect, backup,
 * restore and rotate all start from.
 */
export interface DatabaseServer {
  record: DbRecord;
  engine: Engine;
  namespace: string;
  pod: string;
  container: string;
  /** The server's port in the pod. */
  port: number;
  /** The Secret with the credentials (the database's own, or CloudNativePG's `<name>-app`). */
  secret: string;
  /** The container's variables holding the credentials, for commands run in it (undefined: the server trusts local connections). */
  variables?: CredentialVariables;
}

type Pod = KubeObject & {
  spec?: {containers?: Array<{name: string; env?: Array<{name: string; valueFrom?: {secretKeyRef?: {name?: string; key?: string}}}>}>};
  status?: {phase?: string; conditions?: Array<{type: string; status: string}>};
};

export async function databaseServer(cluster: Cluster, namespace: string, name: string): Promise<DatabaseServer> {
  const record = await requireDbRecord(cluster, namespace, name);
  const engine = ENGINES[(record.inputs?.engine ?? 'postgresql') as EngineName];
  if (record.inputs?.ha) return primaryServer(cluster, record, engine);
  const pod = podName(name);
  const found = await cluster.get<Pod>({apiVersion: 'v1', kind: 'Pod', name: pod, namespace});
  requireReady(found, name, pod, namespace);
  const containers = found!.spec?.containers ?? [];
  // The server's container is the one that reads the database's password from its Secret.
  const container = containers.find((candidate) => (candidate.env ?? []).some((variable) => isRef(variable, name, 'password'))) ?? containers[0];
  if (!container) throw new GshiftError('SERVER', `Pod ${pod} has no containers.`, {details: {pod, namespace}});
  const variable = (key: string) => (container.env ?? []).find((candidate) => isRef(candidate, name, key))?.name;
  const password = variable('password');
  if (!password) {
    throw new GshiftError('CONFLICT', `The server container of database ${name} does not read its password from Secret ${name}.`, {
      hint: `create the database again with gshift db create ${name} --engine ${engine.name}.`,
      details: {database: name, pod},
    });
  }
  const user = variable('username');
  const database = variable('dbname');
  return {record, engine, namespace, pod, container: container.name, port: engine.port, secret: name, variables: {password, ...(user ? {user} : {}), ...(database ? {database} : {})}};
}

function isRef(variable: {valueFrom?: {secretKeyRef?: {name?: string; key?: string}}}, secret: string, key: string): boolean {
  const ref = variable.valueFrom?.secretKeyRef;
  return ref?.name === secret && ref.key === key;
}

/** A server that does not run cannot be connected to, dumped or restored: say which state it is in. */
export function requireReady(pod: Pod | undefined, database: string, name: string, namespace: string): void {
  if (!pod) {
    throw notFoundError(`Database ${database} has no pod ${name} in ${namespace}.`, `gshift db info ${database} -n ${namespace} shows its state; gshift db create ${database} starts it again.`, {database, pod: name});
  }
  const ready = pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True');
  if (pod.status?.phase !== 'Running' || !ready || pod.metadata.deletionTimestamp) {
    const state = pod.metadata.deletionTimestamp ? 'terminating' : `${pod.status?.phase ?? 'Pending'}${pod.status?.phase === 'Running' ? ', not ready' : ''}`;
    throw new GshiftError('CONFLICT', `Database ${database} is not ready: pod ${name} is ${state}.`, {
      hint: `wait until gshift db info ${database} -n ${namespace} says it is ready, then run this again.`,
      details: {database, pod: name, phase: pod.status?.phase},
    });
  }
}

/**
 * A CloudNativePG cluster is served by its current primary (container "postgres"), which trusts
 * local connections of the postgres user: commands run in it need no password.
 */
async function primaryServer(cluster: Cluster, record: DbRecord, engine: Engine): Promise<DatabaseServer> {
  const {name, namespace} = record;
  const [{readClusterState, credentialsSecret}] = await Promise.all([import('./ha.js')]);
  const state = await readClusterState(cluster, namespace, name);
  if (!state.currentPrimary) {
    throw new GshiftError('CONFLICT', `CloudNativePG cluster ${name} has no primary yet (${state.phase ?? 'no status'}).`, {hint: `wait until gshift db info ${name} -n ${namespace} says it is ready.`, details: {database: name}});
  }
  const pod = await cluster.get<Pod>({apiVersion: 'v1', kind: 'Pod', name: state.currentPrimary, namespace});
  requireReady(pod, name, state.currentPrimary, namespace);
  const secret = (await credentialsSecret(cluster, namespace, name, true))?.name ?? `${name}-app`;
  return {record, engine, namespace, pod: state.currentPrimary, container: 'postgres', port: engine.port, secret};
}
