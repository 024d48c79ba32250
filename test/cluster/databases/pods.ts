// Which simulated pods are database servers, and what their containers would see: the
// environment (resolving the Secret and ConfigMap references the pod really has) and the volume.
import type { CoreV1Api, V1Container, V1Pod } from '@kubernetes/client-node';

export type Engine = 'postgresql' | 'mariadb' | 'redis';

/** Set on a database pod once the harness serves it (its value: the engine and the server's address). */
export const SERVED_ANNOTATION = 'gshift.test/db-served';

/**
 * The start-up contracts of the images the catalogue's db stacks run (sclorg's PostgreSQL,
 * MariaDB/MySQL and Redis images): a container with these variables is that engine's server.
 * MySQL pods are served by MariaDB (the same protocol and clients).
 */
const CONTRACTS: Array<{ engine: Engine; env: string[] }> = [
  { engine: 'postgresql', env: ['POSTGRESQL_USER', 'POSTGRESQL_PASSWORD', 'POSTGRESQL_DATABASE'] },
  { engine: 'mariadb', env: ['MYSQL_USER', 'MYSQL_PASSWORD', 'MYSQL_DATABASE'] },
  { engine: 'redis', env: ['REDIS_PASSWORD'] },
];

export function databaseContainer(pod: V1Pod): { container: V1Container; engine: Engine } | undefined {
  for (const container of pod.spec?.containers ?? []) {
    const names = new Set((container.env ?? []).map((variable) => variable.name));
    const contract = CONTRACTS.find((candidate) => candidate.env.every((name) => names.has(name)));
    if (contract) return { container, engine: contract.engine };
  }
  return undefined;
}

const decode = (data: Record<string, string> | undefined, key: string) => (data?.[key] === undefined ? undefined : Buffer.from(data[key]!, 'base64').toString('utf8'));

/** The container's environment as its process would get it (literal values, secretKeyRef, configMapKeyRef, envFrom). */
export async function containerEnvironment(core: CoreV1Api, namespace: string, container: V1Container): Promise<Record<string, string>> {
  const secrets = new Map<string, Promise<Record<string, string> | undefined>>();
  const configMaps = new Map<string, Promise<Record<string, string> | undefined>>();
  const secret = (name: string) => {
    if (!secrets.has(name)) secrets.set(name, core.readNamespacedSecret({ name, namespace }).then((found) => found.data, () => undefined));
    return secrets.get(name)!;
  };
  const configMap = (name: string) => {
    if (!configMaps.has(name)) configMaps.set(name, core.readNamespacedConfigMap({ name, namespace }).then((found) => found.data, () => undefined));
    return configMaps.get(name)!;
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.secretRef?.name) for (const [key, value] of Object.entries((await secret(source.secretRef.name)) ?? {})) env[`${source.prefix ?? ''}${key}`] = Buffer.from(value, 'base64').toString('utf8');
    if (source.configMapRef?.name) for (const [key, value] of Object.entries((await configMap(source.configMapRef.name)) ?? {})) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    let value: string | undefined = variable.value;
    if (from?.secretKeyRef) value = decode(await secret(from.secretKeyRef.name!), from.secretKeyRef.key);
    else if (from?.configMapKeyRef) value = (await configMap(from.configMapKeyRef.name!))?.[from.configMapKeyRef.key];
    if (value === undefined && (from?.secretKeyRef || from?.configMapKeyRef)) {
      const ref = from.secretKeyRef ?? from.configMapKeyRef!;
      // The kubelet would not start the container either (CreateContainerConfigError).
      throw new Error(`${namespace}/${container.name}: ${variable.name} refers to ${ref.name}/${ref.key}, which does not exist (yet)`);
    }
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** The pod's data volume: its claim's uid (a new uid is an empty volume), or the pod's uid when it has no claim. */
export async function volumeOf(core: CoreV1Api, pod: V1Pod): Promise<string> {
  const claim = pod.spec?.volumes?.find((volume) => volume.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
  if (!claim) return `pod-${pod.metadata!.uid}`;
  const found = await core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: pod.metadata!.namespace! });
  return `claim-${found.metadata!.uid}`;
}
