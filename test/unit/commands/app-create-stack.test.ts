// `app create` without --stack: a person on a terminal is asked (see prompts-and-progress tests);
// a script is told which flag is missing and what it may be.
import {expect, test} from '@jest/globals';

import {runCli} from '../../support/cli.ts';

test('app create without --stack and without a terminal names the flag and lists the app stacks, not the database stacks', () => {
  const run = runCli(['app', 'create', 'demo', '--dry-run']);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^Error: Missing --stack: .*\nTry: pass --stack \(one of: .*\bnodejs\b.*\)\.\n$/);
  expect(run.stderr).not.toMatch(/postgresql|mariadb|mysql|redis/);
});

test('GSHIFT_STACK stands in for --stack', () => {
  const run = runCli(['app', 'create', 'demo', '--dry-run', '-o', 'json'], {env: {GSHIFT_STACK: 'nginx'}});
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout).items.find((item: any) => item.kind === 'Deployment').metadata.labels['gshift.io/stack']).toBe('nginx');
});
