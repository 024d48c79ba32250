// Builds the test control plane from its Go modules into the cache, unless it is there.
//
//   node test/cluster/build.ts          (npm run cluster:build)
//
// kube-apiserver, kube-controller-manager, kube-scheduler and kubectl come from
// k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3 and kwok/kwokctl from
// sigs.k8s.io/kwok, each through the pinned wrapper module in test/cluster/go/. A cold
// build takes many minutes on two cores; a warm one only checks that the files exist.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goEnvironment, goModulesDir, runGo } from './go.ts';
import { BINARIES, binaryPath, binDir, type BinaryName } from './layout.ts';
import { KUBERNETES_VERSION, KWOK_VERSION } from './versions.ts';

type Recipe = { module: string; pkg: string; ldflags: () => string[] };

function moduleTime(modulePath: string, version: string): string {
  // The release's publication time stands in for the build date, so builds are reproducible.
  const out = runGo(['mod', 'download', '-json', `${modulePath}@${version}`], { cwd: join(goModulesDir, 'kubernetes') });
  const info = JSON.parse(out) as { Info?: string };
  const time = info.Info ? (JSON.parse(readFileSync(info.Info, 'utf8')) as { Time?: string }).Time : undefined;
  return (time ?? '1970-01-01T00:00:00Z').replace(/\.\d+Z$/, 'Z');
}

/** What kubernetes' hack/lib/version.sh sets, for both version packages. */
function kubernetesLdflags(): string[] {
  const [major, minor] = KUBERNETES_VERSION.replace(/^v/, '').split('.');
  const values: Record<string, string> = {
    gitVersion: KUBERNETES_VERSION,
    gitMajor: major,
    gitMinor: minor,
    gitCommit: '',
    // "archive": built from released source rather than a git checkout (version.sh's term).
    gitTreeState: 'archive',
    buildDate: moduleTime('k8s.io/kubernetes', KUBERNETES_VERSION),
  };
  return ['k8s.io/client-go/pkg/version', 'k8s.io/component-base/version'].flatMap((pkg) =>
    Object.entries(values).map(([key, value]) => `-X ${pkg}.${key}=${value}`),
  );
}

function kwokLdflags(): string[] {
  return [
    `-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION.replace(/^v/, '')}`,
    `-X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${KUBERNETES_VERSION.replace(/^v/, '')}`,
    '-X sigs.k8s.io/kwok/pkg/consts.PreRelease=GA',
  ];
}

const RECIPES: Record<BinaryName, Recipe> = {
  'kube-apiserver': { module: 'kubernetes', pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', ldflags: kubernetesLdflags },
  'kube-controller-manager': { module: 'kubernetes', pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', ldflags: kubernetesLdflags },
  'kube-scheduler': { module: 'kubernetes', pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', ldflags: kubernetesLdflags },
  kubectl: { module: 'kubernetes', pkg: 'k8s.io/kubernetes/cmd/kubectl', ldflags: kubernetesLdflags },
  etcd: { module: 'etcd', pkg: 'go.etcd.io/etcd/server/v3', ldflags: () => [] },
  kwok: { module: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwok', ldflags: kwokLdflags },
  kwokctl: { module: 'kwok', pkg: 'sigs.k8s.io/kwok/cmd/kwokctl', ldflags: kwokLdflags },
};

function log(message: string) {
  process.stderr.write(`[cluster:build] ${message}\n`);
}

export function missingBinaries(): BinaryName[] {
  return BINARIES.filter((name) => !existsSync(binaryPath(name)));
}

/**
 * Builds whatever is missing from the cache and returns the bin directory. The build runs in
 * a child Node process (this file as a script), which reports progress while Go compiles;
 * callers stay synchronous.
 */
export function ensureBinaries(): string {
  const dir = binDir();
  if (missingBinaries().length === 0) return dir;
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error) throw result.error;
  if (result.status !== 0 || missingBinaries().length > 0) {
    throw new Error(`building the test control plane failed (exit ${result.status}); see the [cluster:build] output above`);
  }
  return dir;
}

async function buildMissing(): Promise<string> {
  const dir = binDir();
  const missing = missingBinaries();
  if (missing.length === 0) {
    log(`binaries are cached in ${dir}`);
    return dir;
  }
  mkdirSync(dir, { recursive: true });
  log(`building ${missing.join(', ')} into ${dir}`);
  log('a cold build downloads the Go modules and compiles Kubernetes: about 10 minutes on 2 cores');
  const started = Date.now();
  for (const [index, name] of missing.entries()) {
    const recipe = RECIPES[name];
    const target = binaryPath(name);
    const partial = `${target}.partial-${process.pid}`;
    const step = `(${index + 1}/${missing.length}) ${name}`;
    const t0 = Date.now();
    log(`${step} from ${recipe.pkg} ...`);
    try {
      await goBuild(recipe, partial, (packages) =>
        log(`${step}: ${seconds(Date.now() - t0)}, ${packages} packages compiled so far`),
      );
      // Only a complete binary gets the real name, so an interrupted build is redone.
      renameSync(partial, target);
    } finally {
      rmSync(partial, { force: true });
    }
    log(`${step} built in ${seconds(Date.now() - t0)} (total ${seconds(Date.now() - started)})`);
  }
  log(`done in ${seconds(Date.now() - started)}`);
  return dir;
}

/** go build -v: each package name it prints is one compiled package, counted for progress. */
function goBuild(recipe: Recipe, output: string, progress: (packages: number) => void): Promise<void> {
  const args = [
    'build', '-v',
    '-p', String(availableParallelism()),
    '-trimpath',
    '-ldflags', ['-s', '-w', ...recipe.ldflags()].join(' '),
    '-o', output,
    recipe.pkg,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd: join(goModulesDir, recipe.module), env: goEnvironment(), stdio: ['ignore', 'inherit', 'pipe'] });
    let packages = 0;
    let tail: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('go: downloading')) process.stderr.write(`${line}\n`);
        else if (/^[\w.-]+(\/[\w.@+~-]+)*$/.test(line)) packages++;
        else tail = [...tail.slice(-40), line];
      }
    });
    const timer = setInterval(() => progress(packages), 30_000);
    child.on('error', (error) => {
      clearInterval(timer);
      reject((error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new Error('the Go toolchain (`go`) is not on PATH; it is needed to build the test control plane')
        : error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) resolve();
      else reject(new Error(`go ${args.join(' ')} failed (exit ${code}):\n${[...tail, pending].join('\n')}`));
    });
  });
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

if (import.meta.main) {
  buildMissing().catch((error: Error) => {
    process.stderr.write(`[cluster:build] ${error.message}\n`);
    process.exit(1);
  });
}
