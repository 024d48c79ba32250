// The README's install: the packed package installs globally and puts a working `gshift` on
// PATH, with its templates, schema and command manifest inside (no checkout needed to run it).
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {expect, test} from '@jest/globals';
import {execa} from 'execa';

import {repoRoot} from '../../support/cli.ts';

test('npm pack + npm install --global gives a gshift on PATH that renders an app', async () => {
  const work = mkdtempSync(join(tmpdir(), 'gshift-install-'));
  // dist/ is built by npm test before the unit tests; prepack would build it again.
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {cwd: repoRoot});
  const [{filename, files}] = JSON.parse(packed.stdout) as [{filename: string; files: {path: string}[]}];
  const paths = files.map((file) => file.path);
  expect(paths).toEqual(expect.arrayContaining(['bin/run.js', 'dist/bundle/commands/app/create.js', 'templates/nodejs/template.yaml', 'schema/gshift.schema.json', 'oclif.manifest.json']));
  // Only the bundle runs: the modules tsc wrote are its input, not part of the package.
  expect(paths.filter((path) => path.startsWith('src/') || path.startsWith('test/') || (path.startsWith('dist/') && !path.startsWith('dist/bundle/')))).toEqual([]);

  const prefix = join(work, 'prefix');
  await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, filename)], {cwd: work});
  const env = {PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, HOME: work, KUBECONFIG: join(work, 'none')};
  const version = await execa('gshift', ['--version'], {cwd: work, env});
  expect(version.stdout).toMatch(/^gshift\/0\.\d+\.\d+ /);
  const rendered = await execa('gshift', ['app', 'create', 'hello', '--stack', 'nodejs', '--dry-run', '-o', 'json'], {cwd: work, env});
  expect(JSON.parse(rendered.stdout).items.map((item: {kind: string}) => item.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'Route']));
}, 240_000);
