import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';
import {execa} from 'execa';

import {repoRoot, runCli} from '../../support/cli.ts';

interface Manifest {
  commands: Record<string, {flags: Record<string, {name: string; type: string; required?: boolean; options?: string[]}>; args?: Record<string, {required?: boolean}>}>;
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

  it('is committed exactly as the build writes it (sorted), so a forgotten regeneration fails the run', async () => {
    const fresh = await freshManifest();
    const sorted = {...fresh, commands: Object.fromEntries(Object.entries(fresh.commands).sort(([a], [b]) => a.localeCompare(b)))};
    expect(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')).toBe(`${JSON.stringify(sorted, null, 2)}\n`);
  });

  it('gives every command a --json flag', () => {
    const commands = Object.entries(committedManifest().commands).filter(([id]) => id !== 'help' && !id.startsWith('autocomplete'));
    expect(commands.length).toBeGreaterThan(0);
    const withoutJson = commands.filter(([, command]) => command.flags.json?.type !== 'boolean').map(([id]) => id);
    expect(withoutJson).toEqual([]);
  });
});

describe('gshift at the command line', () => {
  it('prints its version, with the platform as the operating system names it', () => {
    const {stdout, status} = runCli(['--version']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^gshift\/\d+\.\d+\.\d+ /);
    // WSL is told apart by the bundled check (src/shims/wsl-utils.ts); this machine is plain Linux.
    if (process.platform === 'linux' && !/microsoft/i.test(readFileSync('/proc/version', 'utf8'))) expect(stdout).toContain(` linux-${process.arch} `);
  });

  it('lists the command topics in its help, the completion command among them, and `help COMMAND` shows a command\'s help', () => {
    const {stdout, status} = runCli(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/TOPICS/);
    expect(stdout).toMatch(/config/);
    expect(stdout).toMatch(/autocomplete/);
    const command = runCli(['help', 'app', 'create']);
    expect(command.status).toBe(0);
    expect(command.stdout).toMatch(/\$ gshift app create NAME/);
    expect(command.stdout).toMatch(/--stack=<value>/);
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

  it('takes a switch written as kubectl users write it: --wait=false, --reveal=true', () => {
    const quiet = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run', '--wait=false', '--reveal=false', '-o', 'json']);
    expect(quiet.status).toBe(0);
    expect(JSON.parse(quiet.stdout).kind).toBe('List');
    const secrets = (reveal: string) => runCli(['template', 'process', 'postgresql', '-p', 'NAME=db', reveal]).stdout;
    expect(secrets('--reveal=true')).not.toContain('••••');
    expect(secrets('--reveal=false')).toContain('••••');
  });

  it('reports an unknown flag as a usage error without a stack trace', () => {
    const {stderr, status} = runCli(['config', 'show', '--bogus']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Error: Nonexistent flag: --bogus\.\nTry: /);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['app promote web --to test', 'Error: Missing the required flag --from.\nTry: pass --from, or run the command with --help.\n'],
    [
      'app create demo --dry-run',
      'Error: Missing --stack: which stack is required when not running on a terminal.\nTry: pass --stack (one of: eap, httpd, java, nginx, nodejs, python).\n',
    ],
    ['template process', 'Error: Missing the required argument TEMPLATE.\nTry: run the command with --help to see its flags and arguments.\n'],
    ['template process redis -o xml', 'Error: --output must be one of yaml, json, not "xml".\nTry: pass --output with one of: yaml, json.\n'],
    ['app create demo --stack nodejs --dry-run --timeout soon', 'Error: --timeout: "soon" is not a duration.\nTry: write durations like 30s, 5m or 1h30m.\n'],
    ['app create demo --stack nodejs --dry-run --wait=soon', 'Error: --wait is a switch and takes no value but true or false, not "soon".\nTry: give --wait alone, or --no-wait.\n'],
  ])('names what is wrong with `gshift %s` in one sentence and a hint, exit code 2', (args, expected) => {
    // NODE_ENV as a user has it: jest's "test" makes oclif warn about unparsed commands.
    const {stderr, status} = runCli(args.split(' '), {env: {NODE_ENV: undefined}});
    expect({stderr, status}).toEqual({stderr: expected, status: 2});
  });

  it('keeps stdout pure JSON for a usage error in --json mode', () => {
    const {stdout, status} = runCli(['config', 'show', '--bogus', '--json']);
    expect(status).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ok: false, command: 'config show', error: {code: 'USAGE'}});
  });

  it('completes commands and flags in bash', () => {
    const home = mkdtempSync(join(tmpdir(), 'gshift-completion-'));
    const env = {HOME: home, XDG_CACHE_HOME: undefined};
    expect(runCli(['autocomplete', '--refresh-cache'], {env}).status).toBe(0);
    const script = runCli(['autocomplete', 'script', 'bash'], {env});
    expect(script.status).toBe(0);
    /** What bash offers after the words typed, the last one being completed (bash shows each candidate once). */
    const complete = (...words: string[]) => {
      const shell = `${script.stdout}\nCOMP_WORDS=(gshift ${words.join(' ')}); COMP_CWORD=${words.length}; _gshift_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const offered = execFileSync('bash', ['-c', shell], {env: {...process.env, HOME: home}, encoding: 'utf8'});
      return [...new Set(offered.split('\n').filter(Boolean))];
    };
    expect(complete('ap')).toEqual(['app']);
    expect(complete('app', 'cre')).toEqual(['create']);
    expect(complete('tenant', '')).toEqual(expect.arrayContaining(['create', 'delete', 'list', 'show', 'update']));
    expect(complete('app', 'create', '--sta')).toEqual(['--stack']);
    expect(complete('app', 'list', '--all')).toEqual(['--all-envs']);
  });

  it('generates a zsh completion script', () => {
    const {stdout, status} = runCli(['autocomplete', 'script', 'zsh'], {env: {HOME: mkdtempSync(join(tmpdir(), 'gshift-completion-'))}});
    expect(status).toBe(0);
    expect(stdout).toMatch(/gshift autocomplete setup/);
  });
});

describe('--json on every command', () => {
  // Values that get each command past its own input checks, so it reaches the part that needs a cluster.
  const SAMPLE: Record<string, string> = {name: 'demo', template: 'nodejs', stack: 'nodejs', image: 'quay.io/team/demo:1', from: 'dev', to: 'test', env: 'dev'};
  const home = mkdtempSync(join(tmpdir(), 'gshift-json-'));
  const commands = Object.entries(committedManifest().commands).filter(([id]) => id !== 'help' && !id.startsWith('autocomplete'));

  /** The command line for a command: its words, a value for each required argument and flag, and --json. */
  const commandLine = (id: string, command: Manifest['commands'][string]) => [
    ...id.split(':'),
    ...Object.entries(command.args ?? {}).filter(([, arg]) => arg.required).map(([name]) => SAMPLE[name] ?? 'demo'),
    ...Object.values(command.flags).filter((flag) => flag.required).flatMap((flag) => [`--${flag.name}`, SAMPLE[flag.name] ?? flag.options?.[0] ?? 'x']),
    '--json',
  ];

  it('prints exactly one JSON document in the documented shape, success or failure, without a cluster or a terminal', async () => {
    const runs = await Promise.all(
      commands.map(async ([id, command]) => {
        const run = await execa(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...commandLine(id, command)], {
          cwd: home,
          env: {HOME: home, XDG_CONFIG_HOME: join(home, 'config'), KUBECONFIG: join(home, 'no-kubeconfig'), CI: 'true', NO_COLOR: '1', FORCE_COLOR: undefined},
          input: '',
          reject: false,
          timeout: 60_000,
        });
        return {id, run};
      }),
    );
    for (const {id, run} of runs) {
      const document = JSON.parse(run.stdout);
      expect({id, command: document.command, warnings: Array.isArray(document.warnings)}).toEqual({id, command: id.replaceAll(':', ' '), warnings: true});
      expect({id, stack: /\n\s+at /.test(run.stderr)}).toEqual({id, stack: false});
      if (document.ok === true) {
        expect({id, exitCode: run.exitCode, keys: Object.keys(document).sort()}).toEqual({id, exitCode: 0, keys: ['command', 'ok', 'result', 'warnings']});
      } else {
        expect({id, ok: document.ok, keys: Object.keys(document).sort()}).toEqual({id, ok: false, keys: ['command', 'error', 'ok', 'warnings']});
        const {code, exitCode, message, hint} = document.error;
        expect({id, exitCode: run.exitCode, internal: code === 'INTERNAL'}).toEqual({id, exitCode, internal: false});
        expect({id, message, hint}).toEqual({id, message: expect.stringMatching(/^[A-Z"`].*[.)]$/), hint: expect.any(String)});
      }
    }
    // Commands that need no cluster succeed here; the others fail for want of one.
    expect(runs.filter(({run}) => run.exitCode === 0).map(({id}) => id).sort()).toEqual(['config:show', 'template:list', 'template:process', 'template:show', 'template:validate']);
  });
});

describe('colour', () => {
  const ANSI = /\u001B\[/;
  const failing = ['config', 'show', '--bogus'];
  it('is off without a terminal', () => expect(runCli(failing, {env: {NO_COLOR: undefined}}).stderr).not.toMatch(ANSI));
  it('is on with FORCE_COLOR, even in a pipe', () => expect(runCli(failing, {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}}).stderr).toMatch(ANSI));
  it('is off with NO_COLOR, even when FORCE_COLOR is set', () => expect(runCli(failing, {env: {NO_COLOR: '1', FORCE_COLOR: '1'}}).stderr).not.toMatch(ANSI));
  it('never reaches --json output', () => expect(runCli([...failing, '--json'], {env: {NO_COLOR: undefined, FORCE_COLOR: '3'}}).stdout).not.toMatch(ANSI));
});
