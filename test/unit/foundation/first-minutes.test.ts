// What a kubectl or oc user runs into in the first minutes, without a cluster: typos get a
// suggestion, flags from other tools get pointed to ours, "no such X" is exit 6 everywhere, and
// a printed manifest never hides that its secrets are masked.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {EXIT_CODES, EXIT_CODE_MEANINGS} from '../../../src/errors.js';
import {repoRoot, runCli} from '../../support/cli.ts';
import {TEAM_PROJECT} from '../../support/team-project.ts';

// NODE_ENV as a user has it: jest's "test" makes oclif warn about commands that failed before parsing.
const NO_CLUSTER = {KUBECONFIG: '/nonexistent/kubeconfig', CI: '1', NODE_ENV: undefined};
const run = (args: string) => runCli(args.split(' '), {env: NO_CLUSTER});

describe('suggestions', () => {
  it('suggests the command for a typo followed by its argument, keeping the argument', () => {
    const {stderr, status} = run('app creat hello --stack nodejs');
    expect(status).toBe(2);
    expect(stderr).toBe('Error: "app creat" is not a gshift command; did you mean "app create"?\nTry: run gshift app create hello --stack nodejs, or gshift app create --help.\n');
  });

  it('says a command takes no arguments rather than that it does not exist', () => {
    const {stderr, status} = run('config show extra');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Error: Unexpected argument "extra": gshift config show takes no arguments\./);
  });

  it('suggests the flag for a mistyped one', () => {
    const {stderr, status} = run('app create hello --stak nodejs --dry-run');
    expect(status).toBe(2);
    expect(stderr).toBe('Error: Nonexistent flag: --stak; did you mean --stack?\nTry: use --stack, or run the command with --help to see its flags.\n');
  });

  it('points --env KEY=VALUE (as oc new-app and kubectl run take it) to --env-var', () => {
    const {stderr, status} = run('app create hello --stack nodejs --env LOG_LEVEL=debug --dry-run');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Error: --env names the environment \(dev, test, acc, prod\), not a variable: .*\nTry: set a variable with --env-var LOG_LEVEL=debug, and the environment with --env dev\.\n$/);
  });

  it('lists the subcommands of a command that has them (app env: set, unset)', () => {
    const {stdout, status} = run('app env --help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^COMMANDS\n\s+app env set\s+Set environment variables.*\n(?:.*\n)*?\s+app env unset\s+Remove environment variables/m);
  });

  it('refuses -o on a create that is not a dry run, instead of ignoring it', () => {
    const {stderr, status} = run('app create hello --stack nodejs -o json');
    expect(status).toBe(2);
    expect(stderr).toMatch(/^Error: -o\/--output formats the manifests that --dry-run prints/);
  });

  it('names the flag and the rule when a number is not one', () => {
    expect(run('app create hello --stack nodejs --dry-run --port eighty').stderr).toMatch(/^Error: --port: "eighty" is not a whole number\.\nTry: pass a whole number, e.g\. --port 8080\.\n$/);
  });
});

describe('exit codes', () => {
  it('are the ones the README documents', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\s*\| (\d+) \| (.+) \|$/gm)].map((match) => Number(match[1]));
    expect(rows).toEqual([0, ...Object.values(EXIT_CODES)]);
    for (const code of Object.keys(EXIT_CODES)) expect(EXIT_CODE_MEANINGS[code as keyof typeof EXIT_CODES]).toBeTruthy();
  });

  it.each(['app create web --stack bogus --dry-run', 'app create web --stack bogus', 'template show bogus', 'template process bogus', 'template validate bogus', 'template show ./no-such-template.yaml'])(
    'are 6 for a stack or template that does not exist: gshift %s',
    (args) => {
      const {stderr, status} = run(args);
      expect({status, stderr: stderr.split('\n')[0]}).toEqual({status: EXIT_CODES.NOT_FOUND, stderr: expect.stringMatching(/^Error: There is no (stack named "bogus"|template file .*no-such-template\.yaml)\.$/)});
    },
  );
});

describe('printed manifests and secrets', () => {
  it.each([
    ['db create db1 --engine postgresql --dry-run', 'password'],
    ['template process postgresql -p NAME=db1', 'database-password'],
    // A team's own app stack whose template generates a password (test/fixtures/team-project).
    ['app create db1 --stack wiki --dry-run', 'admin-password'],
  ])('gshift %s masks the Secret and says the output cannot be applied as it stands', (args, key) => {
    const {stdout, stderr, status} = runCli(args.split(' '), {env: NO_CLUSTER, cwd: TEAM_PROJECT});
    expect(status).toBe(0);
    expect(stdout).toMatch(new RegExp(`^\\s*${key}: "?••••"?$`, 'm'));
    expect(stderr).toMatch(/^Warning: the values of Secret db1 are masked \(••••\), so this output cannot be applied as it stands; add --reveal to print the real values/m);
  });

  it('--reveal prints the real values, with no note', () => {
    const {stdout, stderr} = run('template process postgresql -p NAME=db1 --reveal');
    expect(stdout).toMatch(/database-password: "?[A-Za-z0-9]{16,}"?$/m);
    expect(stderr).not.toMatch(/masked/);
  });

  it('the note is a warning in the --json envelope too', () => {
    const {stdout} = run('template process postgresql -p NAME=db1 --json');
    const document = JSON.parse(stdout);
    expect(document.warnings).toEqual([expect.stringMatching(/^the values of Secret db1 are masked/)]);
    expect(JSON.stringify(document.result)).not.toMatch(/"database-password":"[A-Za-z0-9]{16,}"/);
  });

  it('says nothing for a stack without secrets', () => {
    expect(run('app create web --stack nodejs --dry-run').stderr).toBe('');
  });
});
