// Running the Go toolchain for the wrapper modules in test/cluster/go/.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const clusterDir = dirname(fileURLToPath(import.meta.url));
export const goModulesDir = join(clusterDir, 'go');

/**
 * The wrapper modules are built exactly as pinned: no workspace, no toolchain
 * switching (the local Go must be new enough), go.sum checked and never rewritten.
 */
export function goEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOWORK: 'off',
    GOTOOLCHAIN: 'local',
    GOFLAGS: [process.env.GOFLAGS, '-buildvcs=false'].filter(Boolean).join(' '),
    CGO_ENABLED: process.env.CGO_ENABLED ?? '0',
  };
}

export function runGo(args: string[], options: { cwd: string; inherit?: boolean }): string {
  try {
    const out = execFileSync('go', args, {
      cwd: options.cwd,
      env: goEnvironment(),
      encoding: 'utf8',
      stdio: ['ignore', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return out ?? '';
  } catch (error) {
    const e = error as { code?: string; stderr?: string; stdout?: string };
    if (e.code === 'ENOENT') {
      throw new Error('the Go toolchain (`go`) is not on PATH; it is needed to build the test control plane');
    }
    throw new Error(`go ${args.join(' ')} failed in ${options.cwd}:\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}
