// `gshift config show` and what a user sees when a config file is wrong, through the built CLI.
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, test} from '@jest/globals';

import {runCli} from '../../support/cli.ts';

/** A repository with a nested working directory, and a home with its own user-level file. */
function workspace(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'gshift-config-cli-'));
  mkdirSync(join(root, 'repo', '.git'), {recursive: true});
  mkdirSync(join(root, 'repo', 'services', 'web'), {recursive: true});
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), {recursive: true});
    writeFileSync(join(root, path), content);
  }
  // No XDG_CONFIG_HOME: the user-level file is found under $HOME/.config, as for most users.
  const env = {HOME: join(root, 'home'), XDG_CONFIG_HOME: '', GSHIFT_CONFIG: '', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_REGISTRY: '', GSHIFT_PLATFORM: '', DEBUG: '', GSHIFT_DEBUG: ''};
  return {root, cwd: join(root, 'repo', 'services', 'web'), env};
}

describe('gshift config show', () => {
  const {root, cwd, env} = workspace({
    'home/.config/gshift/config.yaml': 'tenant: from-home\nenv: test\n',
    'repo/gshift.config.yaml': 'env: dev\nplatform: kubernetes\n',
  });

  test('lists every setting with its value and where it came from', () => {
    const {stdout, status} = runCli(['config', 'show'], {cwd, env});
    expect(status).toBe(0);
    const rows = Object.fromEntries(stdout.trim().split('\n').slice(1).map((line) => {
      const [key, value, source] = line.split(/\s{3,}/);
      return [key, {value, source}];
    }));
    expect(rows.tenant).toEqual({value: 'from-home', source: join(root, 'home/.config/gshift/config.yaml')});
    expect(rows.env).toEqual({value: 'dev', source: join(root, 'repo/gshift.config.yaml')});
    expect(rows.platform).toEqual({value: 'kubernetes', source: join(root, 'repo/gshift.config.yaml')});
    expect(rows.registry).toEqual({value: '(not set)', source: '-'});
    expect(rows.haEnvironments).toEqual({value: 'acc, prod', source: 'default'});
    expect(Object.keys(rows)).toEqual(['tenant', 'env', 'registry', 'platform', 'templateDirs', 'environments', 'haEnvironments', 'ingressNamespaceLabel', 'monitoringNamespaceLabel']);
  });

  test('--json gives the values, their sources and the files read, user-level first', () => {
    const {stdout, status} = runCli(['config', 'show', '--json'], {cwd, env: {...env, GSHIFT_TENANT: 'pipeline'}});
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      command: 'config show',
      result: {
        values: expect.objectContaining({tenant: 'pipeline', env: 'dev', platform: 'kubernetes', haEnvironments: ['acc', 'prod']}),
        sources: expect.objectContaining({tenant: 'GSHIFT_TENANT', env: join(root, 'repo/gshift.config.yaml'), platform: join(root, 'repo/gshift.config.yaml'), environments: 'default'}),
        files: [join(root, 'home/.config/gshift/config.yaml'), join(root, 'repo/gshift.config.yaml')],
      },
      warnings: [],
    });
  });
});

describe('an invalid config', () => {
  const {root, cwd, env} = workspace({'repo/.gshiftrc.yaml': 'platform: openshfit\n'});
  const file = join(root, 'repo/.gshiftrc.yaml');

  test('is one sentence naming the file, the key and what is allowed, a hint, and exit code 11', () => {
    const {stdout, stderr, status} = runCli(['config', 'show'], {cwd, env});
    expect(status).toBe(11);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Error: ${file}: "platform" is "openshfit", but it must be one of auto, openshift, kubernetes.\nTry: fix "platform" in ${file}.\n`);
  });

  test('stops every command that reads the config, not only config show', () => {
    const {stderr, status} = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run'], {cwd, env});
    expect(status).toBe(11);
    expect(stderr).toContain(`${file}: "platform"`);
  });

  test('in --json is the error shape with the file, key and allowed values as details', () => {
    const {stdout, status} = runCli(['config', 'show', '--json'], {cwd, env});
    expect(status).toBe(11);
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      command: 'config show',
      error: {code: 'CONFIG', exitCode: 11, message: expect.stringContaining(file), hint: expect.any(String), details: {file, key: 'platform', allowed: 'one of auto, openshift, kubernetes'}},
      warnings: [],
    });
  });

  test.each([
    ['--debug', ['--debug'], {}],
    ['GSHIFT_DEBUG', [], {GSHIFT_DEBUG: '1'}],
    ['DEBUG', [], {DEBUG: '1'}],
  ])('shows its stack trace with %s (the exact stderr above has none)', (_, flags, debugEnv) => {
    const {stderr} = runCli(['config', 'show', ...flags], {cwd, env: {...env, ...debugEnv}});
    expect(stderr).toMatch(/\n\s+at .*load\.js/);
  });

  test('a file that does not parse is named too', () => {
    const broken = workspace({'repo/gshift.config.json': '{"tenant": '});
    const {stderr, status} = runCli(['config', 'show'], {cwd: broken.cwd, env: broken.env});
    expect(status).toBe(11);
    expect(stderr).toMatch(new RegExp(`^Error: The gshift config in ${join(broken.root, 'repo')}.* cannot be read: `));
  });
});
