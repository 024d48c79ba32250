// A real cert-manager controller beside a test cluster, so `gshift cert issue` is proven end to
// end: cert-manager v1.11.5's own controllers, run out of cluster against the API server (the only
// address it dials: 127.0.0.1), built with the self-signed and CA issuers only (no ACME, Vault,
// Venafi, no ingress/gateway shims; see go/cert-manager/main.go), no leader election, no webhook,
// no listener. A self-signed → CA ClusterIssuer chain is created once it runs: `gshift-test-ca`
// signs what the tests ask for.
//
//   node test/cluster/cert-manager.ts [openshift|kubernetes]   start it (and the issuers) by hand
//                                                             against a cluster from `npm run cluster:up`
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath, cacheRoot, stateDir } from './layout.ts';
import { ensureTool } from './tools.ts';
import { sleepSync } from './pids.ts';

/** A test cluster's flavour (see cluster.ts, which stops the controller with its cluster). */
type Flavour = 'openshift' | 'kubernetes';

/** The ClusterIssuer that signs the tests' certificates, and the self-signed one that made its CA. */
export const TEST_CA_ISSUER = 'gshift-test-ca';
export const SELF_SIGNED_ISSUER = 'gshift-test-selfsigned';
/** Where ClusterIssuers keep their secrets (the CA's key pair). */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

const pidFile = (flavour: Flavour) => join(stateDir, `cert-manager-${flavour}.pid`);
export const certManagerLog = (flavour: Flavour) => join(stateDir, `cert-manager-${flavour}.log`);

function log(message: string) {
  process.stderr.write(`[cert-manager] ${message}\n`);
}

function kubectl(kubeconfig: string, args: string[], input?: string) {
  return spawnSync(binaryPath('kubectl'), ['--kubeconfig', kubeconfig, '--request-timeout=10s', ...args], {
    encoding: 'utf8',
    input,
    timeout: 120_000,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
}

function mustKubectl(kubeconfig: string, args: string[], input?: string): string {
  const result = kubectl(kubeconfig, args, input);
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The controller this checkout started for the flavour, when it still runs (checked by its command line, not just the pid). */
export function runningCertManager(flavour: Flavour): number | undefined {
  if (!existsSync(pidFile(flavour))) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile(flavour), 'utf8'), 10);
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // Any build of the tool (a version bump changes its path) run against this checkout's clusters.
    return cmdline.startsWith(join(cacheRoot(), 'tools', 'cert-manager-')) && cmdline.includes(stateDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function issuerManifests(): string {
  const selfSigned = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: SELF_SIGNED_ISSUER }, spec: { selfSigned: {} } };
  const ca = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: TEST_CA_ISSUER, namespace: CLUSTER_RESOURCE_NAMESPACE },
    spec: {
      isCA: true,
      commonName: 'gshift test CA',
      secretName: TEST_CA_ISSUER,
      duration: '8760h',
      privateKey: { algorithm: 'ECDSA', size: 256 },
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: SELF_SIGNED_ISSUER },
    },
  };
  const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: TEST_CA_ISSUER }, spec: { ca: { secretName: TEST_CA_ISSUER } } };
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [selfSigned, ca, issuer] });
}

/**
 * Starts the controller against the flavour's running cluster unless it runs already, then makes
 * sure the self-signed → CA ClusterIssuer chain is Ready. Builds the binary when the cache lacks
 * it (the e2e global setup builds it first, so a test never waits for a compile).
 */
export function startCertManager(flavour: Flavour, kubeconfig: string): void {
  const binary = ensureTool('cert-manager');
  mustKubectl(kubeconfig, ['apply', '--server-side', '--field-manager=gshift-test-cluster', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLUSTER_RESOURCE_NAMESPACE } }));
  if (runningCertManager(flavour) === undefined) {
    mkdirSync(stateDir, { recursive: true });
    const out = openSync(certManagerLog(flavour), 'a');
    const t0 = Date.now();
    const child = spawn(binary, [`--kubeconfig=${kubeconfig}`, `--cluster-resource-namespace=${CLUSTER_RESOURCE_NAMESPACE}`, '--v=2'], { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    writeFileSync(pidFile(flavour), String(child.pid));
    log(`started for ${flavour} (pid ${child.pid}, log ${certManagerLog(flavour)}) in ${Date.now() - t0}ms`);
  }
  mustKubectl(kubeconfig, ['apply', '--server-side', '--field-manager=gshift-test-cluster', '-f', '-'], issuerManifests());
  const ready = kubectl(kubeconfig, ['wait', '--for=condition=Ready', '--timeout=90s', `clusterissuer/${TEST_CA_ISSUER}`]);
  if (ready.status !== 0) {
    const tail = existsSync(certManagerLog(flavour)) ? readFileSync(certManagerLog(flavour), 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`ClusterIssuer ${TEST_CA_ISSUER} did not become Ready: ${ready.stderr}\nlast lines of ${certManagerLog(flavour)}:\n${tail}`);
  }
}

/** Stops the flavour's controller (by the pid it recorded, checked to be ours). Idempotent. */
export function stopCertManager(flavour: Flavour): void {
  const pid = runningCertManager(flavour);
  if (pid !== undefined) {
    log(`stopping the controller of ${flavour} (pid ${pid})`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
    const deadline = Date.now() + 10_000;
    while (runningCertManager(flavour) !== undefined && Date.now() < deadline) sleepSync(100);
    if (runningCertManager(flavour) !== undefined) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile(flavour), { force: true });
}

if (import.meta.main) {
  try {
    const flavour = (process.argv[2] as Flavour | undefined) ?? 'openshift';
    startCertManager(flavour, join(stateDir, flavour === 'openshift' ? 'kubeconfig' : 'kubeconfig-kubernetes'));
  } catch (error) {
    log((error as Error).message);
    process.exit(1);
  }
}
