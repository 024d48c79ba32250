import type {Cluster, KubeObject} from '../cluster/index.js';
import {usageError} from '../errors.js';
import type {DbRenderInput} from './render.js';
import {renderScheduledBackup} from './schedule.js';

/**
 * `db create --ha` for PostgreSQL: a CloudNativePG `Cluster` (the operator runs the primary, the
 * standbys and the failover), bootstrapped with gshift's owner credentials in a
 * kubernetes.io/basic-auth Secret. The operator writes `<name>-app` with the keys gshift's own
 * Secrets have (host, port, username, password, dbname, uri, jdbc-uri), which is what bindings
 * and `db credentials` read.
 */
export const CNPG_API = 'postgresql.cnpg.io/v1';
export const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';
export const ownerSecretName = (name: string) => `${name}-owner`;
export const appSecretName = (name: string) => `${name}-app`;

/** The operator's image for a PostgreSQL major version (its registry replaced by gshift's config, as for stacks). */
export function cnpgImage(version: string, registry?: string): string {
  const image = `ghcr.io/cloudnative-pg/postgresql:${version}`;
  return registry ? image.replace(/^ghcr\.io/, registry.replace(/\/+$/, '')) : image;
}

export function clusterInstances(env: string, haEnvironments: readonly string[]): number {
  return haEnvironments.includes(env) ? 3 : 2;
}

export function renderHaDatabase(input: DbRenderInput, labels: Record<string, string>): KubeObject[] {
  const {name, namespace, credentials} = input;
  const owner: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: ownerSecretName(name), namespace, labels},
    type: 'kubernetes.io/basic-auth',
    stringData: {username: credentials.username, password: credentials.password},
  } as KubeObject;
  const cluster: KubeObject = {
    apiVersion: CNPG_API,
    kind: 'Cluster',
    metadata: {name, namespace, labels},
    spec: {
      instances: clusterInstances(input.env, input.haEnvironments),
      imageName: cnpgImage(input.version, input.registry),
      primaryUpdateStrategy: 'unsupervised',
      enablePDB: true,
      storage: {size: input.size ?? '1Gi', ...(input.storageClass ? {storageClass: input.storageClass} : {})},
      bootstrap: {initdb: {database: credentials.dbname ?? credentials.username, owner: credentials.username, secret: {name: ownerSecretName(name)}}},
      inheritedMetadata: {labels},
    },
  };
  return [owner, cluster, ...(input.backup ? [renderScheduledBackup({name, namespace, labels, backup: input.backup})] : [])];
}

/** A Cluster's status, as `db info` shows it. */
export interface ClusterState {
  phase?: string;
  instances: number;
  readyInstances: number;
  currentPrimary?: string;
  targetPrimary?: string;
  ready: boolean;
}

type ClusterObject = KubeObject & {
  spec?: {instances?: number};
  status?: {phase?: string; instances?: number; readyInstances?: number; currentPrimary?: string; targetPrimary?: string; conditions?: Array<{type: string; status: string}>};
};

export const HEALTHY_PHASE = 'Cluster in healthy state';

/** Ready only when the operator says healthy and Ready, every instance is ready, and no switchover is under way. */
export function clusterState(object: ClusterObject | undefined): ClusterState {
  const status = object?.status ?? {};
  const instances = object?.spec?.instances ?? 0;
  const readyInstances = status.readyInstances ?? 0;
  const ready =
    status.phase === HEALTHY_PHASE &&
    (status.conditions ?? []).some((condition) => condition.type === 'Ready' && condition.status === 'True') &&
    instances > 0 &&
    readyInstances === instances &&
    Boolean(status.currentPrimary) &&
    status.currentPrimary === status.targetPrimary;
  return {
    ...(status.phase ? {phase: status.phase} : {}),
    instances,
    readyInstances,
    ...(status.currentPrimary ? {currentPrimary: status.currentPrimary} : {}),
    ...(status.targetPrimary ? {targetPrimary: status.targetPrimary} : {}),
    ready,
  };
}

/** --ha needs CloudNativePG's API; other engines have no HA gshift can run. */
export async function requireCnpg(cluster: Pick<Cluster, 'discovery'>, engine: string): Promise<void> {
  if (engine !== 'postgresql') throw haRefused(engine);
  const discovery = await cluster.discovery();
  if (!discovery.hasKind(CNPG_API, 'Cluster')) {
    throw usageError(
      'This cluster does not serve postgresql.cnpg.io/v1 Cluster, which --ha needs: replicated PostgreSQL is run by the CloudNativePG operator.',
      'ask the platform team to install the CloudNativePG operator (https://cloudnative-pg.io), or leave out --ha for a single server.',
      {api: CNPG_API},
    );
  }
}

export function haRefused(engine: string) {
  return usageError(
    `--ha is for postgresql only: gshift runs ${engine} as one server with its own volume (two servers must not share it), and replicated ${engine} needs an operator gshift does not drive.`,
    'leave out --ha, or use --engine postgresql --ha (CloudNativePG).',
    {engine},
  );
}

export async function readClusterState(cluster: Cluster, namespace: string, name: string): Promise<ClusterState> {
  return clusterState(await cluster.get<ClusterObject>({apiVersion: CNPG_API, kind: 'Cluster', name, namespace}));
}

/**
 * Where a database's credentials are: its own Secret, or for a CloudNativePG cluster the
 * operator's `<name>-app` (gshift's owner Secret until the operator has written it).
 */
export async function credentialsSecret(cluster: Pick<Cluster, 'get'>, namespace: string, name: string, ha: boolean): Promise<{name: string; secret: KubeObject} | undefined> {
  for (const candidate of ha ? [appSecretName(name), ownerSecretName(name)] : [name]) {
    const secret = await cluster.get({apiVersion: 'v1', kind: 'Secret', name: candidate, namespace});
    if (secret) return {name: candidate, secret};
  }
  return undefined;
}
