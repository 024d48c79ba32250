// Extra Go tools the tests and benchmarks run beside the control plane (linters, peers for the
// benchmarks, controllers that reach past the API server). Each is built from its own pinned
// wrapper module in test/cluster/go/<name>/ into its own cache directory, keyed on its version
// and a hash of that module, so adding or bumping one tool never rebuilds the control plane.
//
//   node test/cluster/tools.ts [NAME...]     build (or check) the named tools, or all of them
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { goEnvironment, goModulesDir } from './go.ts';
import { cacheRoot } from './layout.ts';

export type Tool = {
  /** The binary's name and its wrapper module's directory under test/cluster/go/. */
  name: string;
  version: string;
  /** The Go package to build (listed as a `tool` in the wrapper module). */
  pkg: string;
  ldflags?: string[];
};

/** Every tool, one line each; add a tool here and its wrapper module in go/<name>/. */
export const TOOLS: Tool[] = [
  { name: 'kube-score', version: 'v1.20.0', pkg: 'github.com/zegl/kube-score/cmd/kube-score' },
  // The peer of `gshift logs` in bench/logs.ts (v1.33.0: the last release that builds with Go 1.26).
  { name: 'stern', version: 'v1.33.0', pkg: 'github.com/stern/stern' },
  // Serves metrics.k8s.io from kwok's simulated usage (test/cluster/metrics.ts); the version
  // ldflag is what kwokctl reads with --version.
  {
    name: 'metrics-server',
    version: 'v0.8.0',
    pkg: 'sigs.k8s.io/metrics-server/cmd/metrics-server',
    ldflags: ['-X k8s.io/client-go/pkg/version.gitVersion=v0.8.0'],
  },
  // The cert-manager controller the `cert issue` tests run beside the test cluster
  // (test/cluster/cert-manager.ts): our own main (go/cert-manager/main.go) over cert-manager
  // v1.11.5's controller packages, linking only the self-signed and CA issuing controllers.
  // v1.11.5 is the last release whose module holds the controller packages with the main module
  // (later ones moved cmd/controller into a nested module, which the Go module proxy does not serve).
  {
    name: 'cert-manager',
    version: 'v1.11.5',
    pkg: 'gshift.test/cluster/cert-manager',
    ldflags: ['-X github.com/cert-manager/cert-manager/pkg/util.AppVersion=v1.11.5'],
  },
];

export function tool(name: string): Tool {
  const found = TOOLS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`unknown test tool ${name}; known: ${TOOLS.map((t) => t.name).join(', ')}`);
  return found;
}

function toolKey(entry: Tool): string {
  const hash = createHash('sha256');
  hash.update(`${entry.pkg} ${(entry.ldflags ?? []).join(' ')}\n`);
  // A wrapper module with a main of its own (cert-manager) rebuilds when its Go files change too.
  const sources = readdirSync(join(goModulesDir, entry.name)).filter((file) => file.endsWith('.go')).sort();
  for (const file of ['go.mod', 'go.sum', ...sources]) hash.update(readFileSync(join(goModulesDir, entry.name, file)));
  return `${entry.name}-${entry.version}-${hash.digest('hex').slice(0, 12)}`;
}

export function toolPath(name: string): string {
  const entry = tool(name);
  return join(cacheRoot(), 'tools', toolKey(entry), entry.name);
}

/** The tool's binary, built first when the cache lacks it. Synchronous: callers are setup code. */
export function ensureTool(name: string): string {
  const entry = tool(name);
  const target = toolPath(name);
  if (existsSync(target)) return target;
  mkdirSync(join(target, '..'), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  const t0 = Date.now();
  process.stderr.write(`[tools] building ${entry.name} ${entry.version} from ${entry.pkg} ...\n`);
  try {
    const result = spawnSync('go', [
      'build', '-p', String(availableParallelism()), '-trimpath',
      '-ldflags', ['-s', '-w', ...(entry.ldflags ?? [])].join(' '),
      '-o', partial, entry.pkg,
    ], { cwd: join(goModulesDir, entry.name), env: goEnvironment(), stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
    if (result.error) {
      throw (result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? new Error(`the Go toolchain (\`go\`) is not on PATH; it is needed to build ${entry.name}`)
        : result.error;
    }
    if (result.status !== 0) throw new Error(`building ${entry.name} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  process.stderr.write(`[tools] ${entry.name} built in ${Math.round((Date.now() - t0) / 1000)}s\n`);
  return target;
}

if (import.meta.main) {
  const names = process.argv.slice(2);
  try {
    for (const name of names.length > 0 ? names : TOOLS.map((t) => t.name)) {
      process.stdout.write(`${ensureTool(name)}\n`);
    }
  } catch (error) {
    process.stderr.write(`[tools] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
