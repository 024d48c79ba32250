import {spawnSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs the built CLI (bin/run.js → dist) as a user would, without a terminal. */
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; input?: string} = {}): CliResult {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env},
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1};
}
