// `gshift … | head -1`: a reader that stops early ends gshift with exit 0 and nothing on
// stderr, on every command (one handler in bin/run.js), here on commands with long output.
import {spawn} from 'node:child_process';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {repoRoot} from '../../support/cli.ts';

function readFirstChunkThenClose(args: string[]): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {cwd: repoRoot, env: {...process.env, NO_COLOR: '1', CI: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({code, stderr}));
  });
}

describe('output into a pipe that closes early', () => {
  it.each([
    [['template', 'show', 'eap']],
    [['app', 'create', 'demo', '--stack', 'eap', '--dry-run']],
    [['app', 'create', 'web', '--stack', 'nodejs', '--dry-run', '-o', 'json']],
  ])('gshift %j exits 0 without a word on stderr', async (args) => {
    const {code, stderr} = await readFirstChunkThenClose(args);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
