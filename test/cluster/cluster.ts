// Starting and stopping the local test clusters: a real kube-apiserver, etcd,
// kube-controller-manager and kube-scheduler run by kwokctl's binary runtime, with kwok
// simulating the nodes. Everything binds to and talks to 127.0.0.1 only.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinaries } from './build.ts';
import { stopCertManager } from './cert-manager.ts';
import { stopDatabaseServers } from './databases/control.ts';
import { clusterDir } from './go.ts';
import { binaryPath, kwokWorkdir, logsDir, repoRoot, stateDir } from './layout.ts';
import { METRICS_API_SERVICE, METRICS_CRDS, METRICS_SERVER_ARGS, aggregationArgs, metricsObjects, metricsServerOptions, nodeMetricsAnnotations } from './metrics.ts';
import { DEFAULT_STORAGE_CLASS, PROVISIONER_ARGS, provisionedVolumeDirs, removeVolumeDirs } from './storage.ts';
import { ensureTool } from './tools.ts';
import { auditArgs } from './audit.ts';
import { alive, sleepSync } from './pids.ts';

export type Flavour = 'openshift' | 'kubernetes';

export type ClusterInfo = {
  flavour: Flavour;
  name: string;
  kubeconfig: string;
  /** True when a healthy cluster was already running and was reused as it was. */
  reused: boolean;
};

const FLAVOURS: Record<Flavour, { name: string; kubeconfig: string; withRoutes: boolean; withMetrics: boolean }> = {
  // The Greenshift API surface: OpenShift Routes plus cert-manager and CloudNativePG, and the
  // metrics API (metrics-server), as an OpenShift cluster has it.
  openshift: { name: 'gshift-test', kubeconfig: join(stateDir, 'kubeconfig'), withRoutes: true, withMetrics: true },
  // Plain Kubernetes: no Route API, so gshift falls back to Ingress; no metrics API either, as
  // on a cluster without metrics-server installed.
  kubernetes: { name: 'gshift-test-kube', kubeconfig: join(stateDir, 'kubeconfig-kubernetes'), withRoutes: false, withMetrics: false },
};

export const FLAVOUR_NAMES = Object.keys(FLAVOURS) as Flavour[];

/** Loopback only: the simulated nodes' InternalIP and the range pod IPs are taken from. */
export const NODE_IP = '127.0.0.1';
export const POD_CIDR = '127.1.0.0/16';
export const SERVICE_CIDR = '127.96.0.0/16';

const NODES = [
  { name: 'gshift-node-a', zone: 'zone-a' },
  { name: 'gshift-node-b', zone: 'zone-b' },
  { name: 'gshift-node-c', zone: 'zone-c' },
];

// Beside the checkout (/work/main → /work/shared), or beside the worktrees' folder (/work/wt/x).
const crdsDir = [join(repoRoot, '..', 'shared', 'testdata', 'crds'), join(repoRoot, '..', '..', 'shared', 'testdata', 'crds')].find((dir) => existsSync(dir)) ?? join(repoRoot, '..', 'shared', 'testdata', 'crds');
const ROUTE_CRD = 'route.openshift.io_routes.yaml';

export function kubeconfigPath(flavour: Flavour): string {
  return FLAVOURS[flavour].kubeconfig;
}

function log(message: string) {
  process.stderr.write(`[cluster] ${message}\n`);
}

function clusterWorkdir(flavour: Flavour): string {
  return join(kwokWorkdir, 'clusters', FLAVOURS[flavour].name);
}

function kwokEnv(): NodeJS.ProcessEnv {
  // KWOK_WORKDIR keeps kwokctl's clusters, cache and config inside .cluster/.
  return { ...process.env, KWOK_WORKDIR: kwokWorkdir };
}

type RunOptions = { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv };

function run(command: string, args: string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeoutMs ?? 120_000,
    env: options.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

function mustRun(command: string, args: string[], options: RunOptions = {}): string {
  const result = run(command, args, options);
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

function kubectl(flavour: Flavour, args: string[], options: RunOptions = {}): string {
  return mustRun(binaryPath('kubectl'), ['--kubeconfig', kubeconfigPath(flavour), ...args], options);
}

/** kubectl against the flavour that reports failure as a non-zero status instead of throwing. */
function kubectlFor(flavour: Flavour) {
  return (args: string[]) => run(binaryPath('kubectl'), ['--kubeconfig', kubeconfigPath(flavour), '--request-timeout=5s', ...args], { timeoutMs: 10_000 });
}

/**
 * kwokctl starts the components as background processes that outlive it; their output goes
 * to a log file rather than to pipes that would keep this process waiting for them.
 */
function kwokctl(flavour: Flavour, args: string[], timeoutMs: number): void {
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, `kwokctl-${flavour}.log`);
  const fd = openSync(logFile, 'a');
  try {
    const result = spawnSync(binaryPath('kwokctl'), ['--name', FLAVOURS[flavour].name, ...args], {
      env: kwokEnv(),
      stdio: ['ignore', fd, fd],
      timeout: timeoutMs,
    });
    if (result.error || result.status !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(
        `kwokctl ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); ` +
          `last lines of ${logFile}:\n${tail}`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

/** True when the flavour's API server answers /readyz through its kubeconfig. */
export function isHealthy(flavour: Flavour): boolean {
  if (!existsSync(kubeconfigPath(flavour)) || !existsSync(binaryPath('kubectl'))) return false;
  const result = run(
    binaryPath('kubectl'),
    ['--kubeconfig', kubeconfigPath(flavour), '--request-timeout=5s', 'get', '--raw', '/readyz'],
    { timeoutMs: 10_000 },
  );
  return result.status === 0 && result.stdout.trim() === 'ok';
}

function kwokctlConfig(flavour: Flavour): string {
  const { withMetrics } = FLAVOURS[flavour];
  const options = {
    runtime: 'binary',
    bindAddress: '127.0.0.1',
    securePort: true,
    // RBAC authorization (Node,RBAC) and the default admission plugins, including
    // PodSecurity, ResourceQuota, LimitRanger and ServiceAccount.
    kubeAuthorization: true,
    kubeAdmission: true,
    nodeLeaseDurationSeconds: 40,
    // kwok reads these from the API: Logs/ClusterLogs point pods at log files; PortForward and
    // Exec tie database pods to real servers on this machine (test/cluster/databases/); with the
    // metrics API, Metric and (Cluster)ResourceUsage feed it (test/cluster/metrics.ts).
    enableCRDs: ['Logs', 'ClusterLogs', 'PortForward', 'ClusterPortForward', 'Exec', 'ClusterExec', ...(withMetrics ? METRICS_CRDS : [])],
    kubeApiserverBinary: binaryPath('kube-apiserver'),
    kubeControllerManagerBinary: binaryPath('kube-controller-manager'),
    kubeSchedulerBinary: binaryPath('kube-scheduler'),
    kubectlBinary: binaryPath('kubectl'),
    etcdBinary: binaryPath('etcd'),
    kwokControllerBinary: binaryPath('kwok'),
    cacheDir: join(kwokWorkdir, 'cache'),
    ...(withMetrics ? metricsServerOptions(ensureTool('metrics-server')) : {}),
  };
  const doc = {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options,
    componentsPatches: [
      {
        name: 'kube-apiserver',
        extraArgs: [
          { key: 'advertise-address', value: '127.0.0.1' },
          // Endpoints may not hold loopback addresses, so the apiserver cannot publish itself
          // as the endpoint of the `kubernetes` Service; it must not try every 10s either.
          { key: 'endpoint-reconciler-type', value: 'none' },
          // Service ClusterIPs from a loopback range too: nothing here routes them, and should
          // anything ever dial one it stays on this machine.
          { key: 'service-cluster-ip-range', value: SERVICE_CIDR },
          // Reach the simulated kubelets (kwok) by their loopback InternalIP only.
          { key: 'kubelet-preferred-address-types', value: 'InternalIP' },
          ...(withMetrics ? aggregationArgs(join(clusterWorkdir(flavour), 'pki')) : []),
          // Writes go to an audit log, so tests can count what a command wrote (audit.ts).
          ...auditArgs(flavour),
        ],
      },
      {
        name: 'kube-controller-manager',
        extraArgs: [
          ...PROVISIONER_ARGS,
          // The HPA controller looks at the metrics every 5 s instead of 15 s, so autoscaling tests are short.
          { key: 'horizontal-pod-autoscaler-sync-period', value: '5s' },
        ],
      },
      ...(withMetrics ? [{ name: 'metrics-server', extraArgs: METRICS_SERVER_ARGS }] : []),
      {
        name: 'kwok-controller',
        extraArgs: [
          // Set as flags, not as a KwokConfiguration document: kwokctl would save that one
          // without kwok's defaults (and so without the kubelet-like server for logs).
          { key: 'node-ip', value: NODE_IP, override: true },
          { key: 'cidr', value: POD_CIDR },
        ],
      },
    ],
  };
  const stages = ['node-stages.yaml', 'pod-stages.yaml'].map((file) => readFileSync(join(clusterDir, 'kwok', file), 'utf8'));
  // JSON is YAML: the generated documents need no YAML library.
  return [JSON.stringify(doc, null, 2), ...stages].join('\n---\n');
}

function nodeManifest(flavour: Flavour): string {
  const items = NODES.map(({ name, zone }) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/worker': '',
        'topology.kubernetes.io/region': 'local',
        'topology.kubernetes.io/zone': zone,
        type: 'kwok',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'kwok.x-k8s.io/node': 'fake',
        ...(FLAVOURS[flavour].withMetrics ? nodeMetricsAnnotations(name) : {}),
      },
    },
    spec: {},
    // Nodes may carry their status on create, as a kubelet registers them; kwok keeps it.
    status: {
      addresses: [
        { type: 'InternalIP', address: NODE_IP },
        { type: 'Hostname', address: name },
      ],
      allocatable: { cpu: '32', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      capacity: { cpu: '32', memory: '64Gi', pods: '110', 'ephemeral-storage': '100Gi' },
    },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

function crdFiles(flavour: Flavour): string[] {
  if (!existsSync(crdsDir)) throw new Error(`the CRDs are missing: ${crdsDir} does not exist`);
  return readdirSync(crdsDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .filter((file) => FLAVOURS[flavour].withRoutes || file !== ROUTE_CRD)
    .sort()
    .map((file) => join(crdsDir, file));
}

/** Brings the API surface and the nodes to the wanted state; safe to repeat. */
function reconcile(flavour: Flavour): void {
  const files = crdFiles(flavour);
  kubectl(flavour, ['apply', '--server-side', '--force-conflicts', '--field-manager=gshift-test-cluster', ...files.flatMap((f) => ['-f', f])]);
  if (!FLAVOURS[flavour].withRoutes) {
    kubectl(flavour, ['delete', 'crd', 'routes.route.openshift.io', '--ignore-not-found']);
  }
  kubectl(flavour, ['wait', '--for=condition=Established', '--timeout=60s', ...files.flatMap((f) => ['-f', f])]);

  kubectl(flavour, ['apply', '--server-side', '--force-conflicts', '--field-manager=gshift-test-cluster', '-f', '-'], { input: JSON.stringify(DEFAULT_STORAGE_CLASS) });

  const existing = new Set(
    kubectl(flavour, ['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}']).split(/\s+/).filter(Boolean),
  );
  if (NODES.some(({ name }) => !existing.has(name))) {
    const manifest = JSON.parse(nodeManifest(flavour)) as { items: Array<{ metadata: { name: string } }> };
    manifest.items = manifest.items.filter((item) => !existing.has(item.metadata.name));
    kubectl(flavour, ['create', '-f', '-'], { input: JSON.stringify(manifest) });
  }
  kubectl(flavour, ['wait', '--for=condition=Ready', '--timeout=60s', ...NODES.map(({ name }) => `node/${name}`)]);
  if (FLAVOURS[flavour].withMetrics) {
    const t0 = Date.now();
    kubectl(flavour, ['apply', '--server-side', '--force-conflicts', '--field-manager=gshift-test-cluster', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: metricsObjects() }) });
    kubectl(flavour, ['wait', '--for=condition=Available', '--timeout=60s', METRICS_API_SERVICE]);
    log(`metrics API (metrics-server) available after ${Math.round((Date.now() - t0) / 100) / 10}s more`);
  }
  // Pods need the namespace's default ServiceAccount, which the controller manager creates.
  waitFor(() => run(binaryPath('kubectl'), ['--kubeconfig', kubeconfigPath(flavour), 'get', 'serviceaccount', 'default', '-n', 'default']).status === 0, 60_000, 'the default ServiceAccount');
}

function waitFor(check: () => boolean, timeoutMs: number, what: string): void {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    sleepSync(500);
  }
}

/**
 * Starts the flavour's cluster unless a healthy one is running, and returns once its API
 * server is ready, the CRDs are established and the simulated nodes are Ready. Builds the
 * binaries first when the cache lacks them. Idempotent.
 */
export function startCluster(flavour: Flavour = 'openshift'): ClusterInfo {
  const { name } = FLAVOURS[flavour];
  const kubeconfig = kubeconfigPath(flavour);
  ensureBinaries();
  mkdirSync(logsDir, { recursive: true });

  // The configuration names the binaries (so the versions) and holds the stages: a cluster
  // started from another one is replaced rather than reused.
  const config = kwokctlConfig(flavour);
  const configFile = join(stateDir, `kwokctl-${flavour}.yaml`);
  const sameConfig = existsSync(configFile) && readFileSync(configFile, 'utf8') === config;
  if (isHealthy(flavour)) {
    if (sameConfig) {
      log(`${name} (${flavour}) is already running; reusing it`);
      reconcile(flavour);
      return { flavour, name, kubeconfig, reused: true };
    }
    log(`${name} (${flavour}) runs with another configuration (versions or stages changed); replacing it`);
  }

  const t0 = Date.now();
  if (existsSync(clusterWorkdir(flavour))) {
    log(`${name}: removing the previous cluster`);
    deleteCluster(flavour);
  }
  writeFileSync(configFile, config);
  // kwokctl caches the manifests it built (metrics-server's) by their path only: build them afresh.
  rmSync(join(kwokWorkdir, 'cache', 'manifest'), { recursive: true, force: true });
  log(`starting ${name} (${flavour}) on 127.0.0.1 ...`);
  kwokctl(
    flavour,
    ['create', 'cluster', '--config', configFile, '--runtime', 'binary', '--kubeconfig', '', '--wait', '2m', '--timeout', '4m'],
    5 * 60_000,
  );
  // A self-contained kubeconfig (certificates embedded), independent of kwok's workdir layout.
  const flattened = mustRun(binaryPath('kubectl'), [
    '--kubeconfig', join(clusterWorkdir(flavour), 'kubeconfig.yaml'),
    'config', 'view', '--raw', '--flatten', '--minify',
  ]);
  writeFileSync(kubeconfig, flattened, { mode: 0o600 });
  waitFor(() => isHealthy(flavour), 120_000, `the API server of ${name}`);
  reconcile(flavour);
  log(`${name} (${flavour}) is ready in ${Math.round((Date.now() - t0) / 100) / 10}s; KUBECONFIG=${kubeconfig}`);
  return { flavour, name, kubeconfig, reused: false };
}

function deleteCluster(flavour: Flavour): void {
  const workdir = clusterWorkdir(flavour);
  // A cert-manager controller started for this cluster (test/cluster/cert-manager.ts) goes with it.
  stopCertManager(flavour);
  // Read while the API server still answers: the volumes' directories outlive the cluster otherwise.
  const volumeDirs = isHealthy(flavour) ? provisionedVolumeDirs(kubectlFor(flavour)) : [];
  // The database harness serves the default flavour's pods: it goes with that cluster.
  if (flavour === 'openshift') stopDatabaseServers();
  if (existsSync(binaryPath('kwokctl')) && existsSync(workdir)) {
    try {
      // kwokctl removes the cluster's context from a kubeconfig: give it a scratch one so it
      // stays away from ~/.kube/config (it rejects an empty path here, unlike on create).
      kwokctl(flavour, ['delete', 'cluster', '--kubeconfig', join(stateDir, 'kwokctl-scratch-kubeconfig')], 2 * 60_000);
    } catch (error) {
      log(`${(error as Error).message}\nstopping the processes by their pid files instead`);
    }
  }
  killRecordedProcesses(join(workdir, 'pids'));
  removeVolumeDirs(volumeDirs);
  rmSync(workdir, { recursive: true, force: true });
  rmSync(kubeconfigPath(flavour), { force: true });
}

/**
 * Whatever kwokctl could not stop (for example when the cache holding kwokctl has gone):
 * the components it started, by the ids it recorded, and nothing else.
 */
function killRecordedProcesses(pidsDir: string): void {
  if (!existsSync(pidsDir)) return;
  const pids = readdirSync(pidsDir)
    .filter((file) => file.endsWith('.pid'))
    .map((file) => Number.parseInt(readFileSync(join(pidsDir, file), 'utf8').trim(), 10))
    .filter((pid) => Number.isInteger(pid) && pid > 1 && isOurComponent(pid));
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) sleepSync(200);
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
}

/** A recorded pid may have been reused by now: only touch processes running a cached binary. */
function isOurComponent(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(kwokWorkdir) || cmdline.includes('gshift-test-cluster');
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Stops the flavour's processes and removes its state. Idempotent. */
export function stopCluster(flavour: Flavour = 'openshift'): void {
  const { name } = FLAVOURS[flavour];
  if (!existsSync(clusterWorkdir(flavour)) && !existsSync(kubeconfigPath(flavour))) return;
  log(`stopping ${name} (${flavour})`);
  deleteCluster(flavour);
}

/** True when the flavour has cluster state in .cluster/ (running or not). */
export function hasClusterState(flavour: Flavour): boolean {
  return existsSync(clusterWorkdir(flavour));
}

/** Stops every flavour and removes .cluster/ entirely. Idempotent. */
export function stopAll(): void {
  for (const flavour of FLAVOUR_NAMES) stopCluster(flavour);
  rmSync(stateDir, { recursive: true, force: true });
}
