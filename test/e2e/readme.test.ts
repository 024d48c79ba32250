// The README's "first five minutes" is a promise to a new user: its lines are run here, as
// written, against the test cluster (with a tenant name of the test's own), and each must work.
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {afterAll, expect, test} from '@jest/globals';

import {repoRoot} from '../support/cli.ts';
import {gshift, output} from './app-cli.ts';
import {TEST_KUBECONFIG, kubectlResult} from './support/index.ts';

const tenant = `readme-${randomBytes(3).toString('hex')}`;

/** The command lines of the README block that follows the first-five-minutes marker. */
function firstFiveMinutes(): string[][] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- first-five-minutes:[^\n]*-->\n```sh\n([\s\S]*?)\n```/.exec(readme);
  if (!block) throw new Error('README.md has no first-five-minutes block');
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('gshift '))
    .map((line) => line.split(/\s+/).slice(1).map((word) => word.replaceAll('shop', tenant)));
}

afterAll(async () => {
  for (const env of ['dev', 'test']) await kubectlResult(['delete', 'namespace', `${tenant}-${env}`, '--wait=false', '--ignore-not-found']);
});

test('every line of the first five minutes works against a real cluster', () => {
  const lines = firstFiveMinutes();
  expect(lines.map((words) => words.slice(0, 2).join(' '))).toEqual(['status', 'tenant create', 'app create', 'app status', 'app env', 'app create', 'app promote', 'app list', 'tenant delete']);
  for (const words of lines) {
    const run = gshift({kubeconfig: TEST_KUBECONFIG}, words);
    expect({line: `gshift ${words.join(' ')}`, status: run.status, output: run.status === 0 ? '' : output(run)}).toEqual({line: `gshift ${words.join(' ')}`, status: 0, output: ''});
  }
}, 300_000);
