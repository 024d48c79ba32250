import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {execaSync} from 'execa';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Runs the built CLI (bin/run.js → dist) as a user would, without a terminal. */
export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number} = {}): CliResult {
  const result = execaSync(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: {NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env},
    input: options.input ?? '',
    reject: false,
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 60_000,
  });
  return {stdout: result.stdout, stderr: result.stderr, status: result.exitCode ?? -1};
}
