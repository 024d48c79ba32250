import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {repoRoot, runCli} from '../../support/cli.ts';

interface Manifest {
  commands: Record<string, {flags: Record<string, {name: string; type: string}>}>;
}

const committedManifest = (): Manifest => JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8'));

/** The manifest oclif would write for the compiled commands in dist/ right now. */
async function freshManifest(): Promise<Manifest> {
  const {Plugin} = await import('@oclif/core/config' as string).catch(() => import('@oclif/core'));
  const plugin = new Plugin({root: repoRoot, ignoreManifest: true, isRoot: true, errorOnManifestCreate: true, respectNoCacheDefault: true});
  await plugin.load();
  return plugin.manifest as unknown as Manifest;
}

describe('the command manifest', () => {
  it('matches the compiled commands, so a stale manifest fails the build', async () => {
    const fresh = await freshManifest();
    expect(committedManifest().commands).toEqual(JSON.parse(JSON.stringify(fresh.commands)));
  });

  it('is committed as built: CI fails when someone forgot to commit the regenerated file', () => {
    if (!process.env.CI) return;
    const diff = execFileSync('git', ['diff', '--stat', '--', 'oclif.manifest.json'], {cwd: repoRoot, encoding: 'utf8'});
    expect(diff).toBe('');
  });

  it('gives every command a --json flag', () => {
    const commands = Object.entries(committedManifest().commands).filter(([id]) => id !== 'help' && !id.startsWith('autocomplete'));
    expect(commands.length).toBeGreaterThan(0);
    const withoutJson = commands.filter(([, command]) => command.flags.json?.type !== 'boolean').map(([id]) => id);
    expect(withoutJson).toEqual([]);
  });
});

describe('gshift at the command line', () => {
  it('prints its version', () => {
    const {stdout, status} = runCli(['--version']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^gshift\/\d+\.\d+\.\d+ /);
  });

  it('lists the command topics in its help', () => {
    const {stdout, status} = runCli(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/TOPICS/);
    expect(stdout).toMatch(/config/);
  });

  it('suggests the closest command for a typo, with the usage exit code', () => {
    const {stderr, status} = runCli(['confg', 'show']);
    expect(status).toBe(2);
    expect(stderr).toContain('did you mean "config show"?');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('answers an unknown command in JSON when asked to', () => {
    const {stdout, status} = runCli(['config', 'shw', '--json']);
    expect(status).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ok: false, error: {code: 'USAGE', exitCode: 2, details: {suggestion: 'config show'}}});
  });

  it('reports an unknown flag as a usage error without a stack trace', () => {
    const {stderr, status} = runCli(['config', 'show', '--bogus']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Error: Nonexistent flag: --bogus\nTry: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('keeps stdout pure JSON for a usage error in --json mode', () => {
    const {stdout, status} = runCli(['config', 'show', '--bogus', '--json']);
    expect(status).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ok: false, command: 'config show', error: {code: 'USAGE'}});
  });

  it('generates shell completion for bash and zsh', () => {
    for (const shell of ['bash', 'zsh']) {
      const {stdout, status} = runCli(['autocomplete', 'script', shell], {env: {HOME: process.env.HOME}});
      expect(status).toBe(0);
      expect(stdout.length).toBeGreaterThan(0);
    }
  });
});
