// Where the test control plane lives: the binary cache (outside the repository) and the
// per-checkout cluster state in .cluster/ (git-ignored).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterDir, goModulesDir } from './go.ts';
import { ETCD_VERSION, KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

export const repoRoot = resolve(clusterDir, '..', '..');

/** Change when the way binaries are built changes (flags, ldflags), to force a rebuild. */
const BUILD_RECIPE = '1';

export const WRAPPER_MODULES = ['kubernetes', 'etcd', 'kwok'];

export type BinaryName =
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'etcd'
  | 'kwok'
  | 'kwokctl';

export const BINARIES: BinaryName[] = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'etcd',
  'kwok',
  'kwokctl',
];

export function cacheRoot(): string {
  return resolve(process.env.GSHIFT_TEST_CLUSTER_CACHE ?? join(homedir(), '.cache', 'gshift-test-cluster'));
}

/** The cache key: the versions plus a hash of the pinned wrapper modules and the build recipe. */
export function cacheKey(): string {
  const hash = createHash('sha256');
  hash.update(`recipe ${BUILD_RECIPE}\n`);
  for (const module of WRAPPER_MODULES) {
    for (const file of ['go.mod', 'go.sum']) {
      hash.update(`${module}/${file}\n`);
      hash.update(readFileSync(join(goModulesDir, module, file)));
    }
  }
  return `${KUBERNETES_VERSION}-etcd${ETCD_VERSION}-kwok${KWOK_VERSION}-${hash.digest('hex').slice(0, 12)}`;
}

export function binDir(): string {
  return join(cacheRoot(), cacheKey(), 'bin');
}

export function binaryPath(name: BinaryName): string {
  return join(binDir(), name);
}

/** Cluster state of this checkout: kubeconfigs, kwok's workdir, simulated container logs. */
export const stateDir = join(repoRoot, '.cluster');
export const kwokWorkdir = join(stateDir, 'kwok');
export const logsDir = join(stateDir, 'logs');
