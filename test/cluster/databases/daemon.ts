// The database harness, a process of its own beside the test cluster (started by control.ts):
//
//   node test/cluster/databases/daemon.ts KUBECONFIG STATE_FILE DATA_DIR
//
// It starts the real servers (servers.ts), then watches every pod. When a database pod appears
// it does what the engine's image does at start — the user, password and database from the
// pod's environment, an empty database on a new volume — and ties the pod to its server with
// kwok resources: a PortForward (the API server's port-forward of the pod reaches the server)
// and an Exec (the API server's exec of the pod runs the command on this machine, with the
// container's environment and the engine's client configured to reach that server). Then it
// annotates the pod `gshift.test/db-served`. A Redis stops when its volume goes (the claim is
// deleted, or a pod without one); SIGTERM stops every server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type V1PersistentVolumeClaim, type V1Pod } from '@kubernetes/client-node';
import { alive } from '../pids.ts';
import type { HarnessState } from './control.ts';
import { SERVED_ANNOTATION, containerEnvironment, databaseContainer, volumeOf, type Engine } from './pods.ts';
import { Mariadb, Postgres, Redis } from './servers.ts';

const FIELD_MANAGER = 'gshift-db-harness';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const [kubeconfigFile, stateFile, dataDir] = process.argv.slice(2);
if (!kubeconfigFile || !stateFile || !dataDir) throw new Error('usage: daemon.ts KUBECONFIG STATE_FILE DATA_DIR');

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const state: HarnessState = { pid: process.pid, dir: dataDir, ready: false, servers: [], pods: {} };
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 2));

const kubeconfig = new KubeConfig();
kubeconfig.loadFromFile(kubeconfigFile);
const core = kubeconfig.makeApiClient(CoreV1Api);
const objects = KubernetesObjectApi.makeApiClient(kubeconfig);

let postgres: Postgres | undefined;
let mariadb: Mariadb | undefined;
const redis = new Map<string, Promise<Redis>>();
const seenVolumes = new Set<string>();
const handled = new Set<string>();
let stopping = false;

function stopServers(): void {
  postgres?.stop();
  mariadb?.stop();
  for (const server of redis.values()) void server.then((running) => running.stop(), () => {});
}

// The servers must not outlive the harness, whatever ends it.
process.on('exit', stopServers);
process.on('uncaughtException', (error) => {
  log(`unexpected: ${error.stack ?? error.message}`);
  process.exit(1);
});

process.on('SIGTERM', () => {
  stopping = true;
  stopServers();
  setTimeout(() => process.exit(0), 3000).unref();
  // Exit once the servers have gone (their exit closes nothing here: poll briefly).
  const check = setInterval(() => {
    if (!state.servers.some((server) => alive(server.pid))) process.exit(0);
  }, 100);
  check.unref();
});

/** The environment an exec in the pod gets here: the container's, and the client pointed at its server. */
function execEnvironment(engine: Engine, env: Record<string, string>, home: string, port: number): Record<string, string> {
  if (engine === 'postgresql') return { ...env, HOME: home, PGHOST: postgres!.dir, PGPORT: String(port) };
  if (engine === 'mariadb') {
    // Debian's clients read /etc/mysql first; ~/.my.cnf is read last and wins.
    writeFileSync(join(home, '.my.cnf'), `[client]\nsocket=${mariadb!.socket}\nport=${port}\n`);
    return { ...env, HOME: home };
  }
  // redis-cli takes its address only from its arguments: a redis-cli first on PATH adds them.
  mkdirSync(join(home, 'bin'), { recursive: true });
  writeFileSync(join(home, 'bin', 'redis-cli'), `#!/bin/sh\nexec /usr/bin/redis-cli -p ${port} "$@"\n`, { mode: 0o755 });
  return { ...env, HOME: home, PATH: `${join(home, 'bin')}:${SYSTEM_PATH}` };
}

/** The port of the server that serves this pod (a Redis of its own, started for a new volume). */
async function serverPort(engine: Engine, env: Record<string, string>, volume: string): Promise<number> {
  if (engine === 'postgresql') return postgres!.port;
  if (engine === 'mariadb') return mariadb!.port;
  if (!redis.has(volume)) {
    const started = Redis.start(join(dataDir, 'redis', volume), env.REDIS_PASSWORD!);
    redis.set(volume, started);
    started.then((server) => state.servers.push(server.info()), () => redis.delete(volume));
  }
  return (await redis.get(volume)!).port;
}

/** What the image does at start, from the container's environment. */
async function provision(engine: Engine, env: Record<string, string>, volume: string, fresh: boolean): Promise<void> {
  if (engine === 'postgresql') await postgres!.provision(env.POSTGRESQL_USER!, env.POSTGRESQL_PASSWORD!, env.POSTGRESQL_DATABASE!, fresh);
  else if (engine === 'mariadb') await mariadb!.provision(env.MYSQL_USER!, env.MYSQL_PASSWORD!, env.MYSQL_DATABASE!, fresh);
  else await (await redis.get(volume)!).provision(env.REDIS_PASSWORD!);
}

async function serve(pod: V1Pod): Promise<void> {
  const found = databaseContainer(pod);
  if (!found) return;
  const started = Date.now();
  const { name, namespace } = pod.metadata as { name: string; namespace: string };
  const { container, engine } = found;
  const [env, volume] = await Promise.all([containerEnvironment(core, namespace, container), volumeOf(core, pod)]);
  const fresh = !seenVolumes.has(volume);
  seenVolumes.add(volume);
  const port = await serverPort(engine, env, volume);
  const home = join(dataDir, 'pods', namespace, name);
  mkdirSync(home, { recursive: true });
  const envs = Object.entries(execEnvironment(engine, env, home, port)).map(([key, value]) => ({ name: key, value }));
  const apply = (object: object) => objects.patch(object as never, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  await Promise.all([
    provision(engine, env, volume, fresh),
    apply({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'PortForward', metadata: { name, namespace }, spec: { forwards: [{ target: { address: '127.0.0.1', port } }] } }),
    apply({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Exec', metadata: { name, namespace }, spec: { execs: [{ local: { workDir: home, envs } }] } }),
  ]);
  // Last: the pod becomes ready (pod-stages.yaml) once its server is.
  await objects.patch({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, annotations: { [SERVED_ANNOTATION]: `${engine} 127.0.0.1:${port}` } } }, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
  state.pods[`${namespace}/${name}`] = { engine, port, volume };
  save();
  log(`served ${namespace}/${name} in ${Date.now() - started}ms: ${engine} on 127.0.0.1:${port} (${fresh ? 'new' : 'existing'} volume ${volume})`);
}

function onPod(pod: V1Pod): void {
  const uid = pod.metadata?.uid;
  if (!uid || handled.has(uid) || pod.metadata?.deletionTimestamp || !databaseContainer(pod)) return;
  handled.add(uid);
  const attempt = (left: number): void => {
    serve(pod).catch((error: unknown) => {
      // The Secret or the claim may not be there yet: the kubelet would retry too.
      log(`serving ${pod.metadata?.namespace}/${pod.metadata?.name} failed: ${(error as Error).message}`);
      if (left > 0 && !stopping) setTimeout(() => attempt(left - 1), 500);
    });
  };
  attempt(20);
}

/** A volume that is gone takes its Redis with it: a claim deleted (with its namespace, or by db delete --purge-data), or a pod without one. */
function release(volume: string): void {
  const server = redis.get(volume);
  if (!server) return;
  redis.delete(volume);
  seenVolumes.delete(volume);
  void server.then((running) => {
    running.stop();
    state.servers = state.servers.filter((entry) => entry.pid !== running.info().pid);
    save();
    log(`stopped the Redis of ${volume}: its volume is gone`);
  }, () => {});
}

/** Lists, then watches, a kind across all namespaces, for as long as the harness runs (a watch that ends is started again). */
async function watchAll<T extends { metadata?: { uid?: string } }>(path: string, list: () => Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>, onEvent: (type: string, object: T) => void): Promise<void> {
  for (;;) {
    try {
      const listed = await list();
      for (const object of listed.items) onEvent('ADDED', object);
      await new Promise<void>((resolve) => {
        void new Watch(kubeconfig).watch(path, { resourceVersion: listed.metadata?.resourceVersion, allowWatchBookmarks: true }, onEvent, (error) => {
          if (error) log(`watch of ${path} ended: ${(error as Error).message ?? error}`);
          resolve();
        });
      });
    } catch (error) {
      log(`listing ${path} failed: ${(error as Error).message}`);
    }
    if (stopping) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const watchPods = () =>
  watchAll<V1Pod>('/api/v1/pods', () => core.listPodForAllNamespaces(), (type, pod) => {
    if (type === 'ADDED' || type === 'MODIFIED') onPod(pod);
    else if (type === 'DELETED' && pod.metadata?.uid) release(`pod-${pod.metadata.uid}`);
  });

const watchClaims = () =>
  watchAll<V1PersistentVolumeClaim>('/api/v1/persistentvolumeclaims', () => core.listPersistentVolumeClaimForAllNamespaces(), (type, claim) => {
    if (type === 'DELETED' && claim.metadata?.uid) release(`claim-${claim.metadata.uid}`);
  });

try {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  [postgres, mariadb] = await Promise.all([Postgres.start(dataDir), Mariadb.start(dataDir)]);
  state.servers.push(postgres.info(), mariadb.info());
  state.ready = true;
  save();
  log(`PostgreSQL on 127.0.0.1:${postgres.port}, MariaDB on 127.0.0.1:${mariadb.port}; watching pods`);
  await Promise.all([watchPods(), watchClaims()]);
} catch (error) {
  state.error = (error as Error).message;
  save();
  log(`failed: ${(error as Error).stack}`);
  stopServers();
  process.exit(1);
}
