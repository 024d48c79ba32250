// Services can be driven without oclif or a terminal (as `gshift up` will drive them all): no
// module of a domain, the shared core, rendering, rollout, cluster or config imports oclif or
// src/ui, or writes to the terminal itself.
import {readFileSync, readdirSync} from 'node:fs';
import {join, relative} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {repoRoot} from '../../support/cli.ts';

const SERVICE_DIRS = ['app', 'tenant', 'template', 'up', 'logs', 'core', 'converge', 'render', 'rollout', 'cluster', 'config'];
const FORBIDDEN = [
  {what: 'imports oclif', pattern: /from '@oclif\/|import\('@oclif\//},
  {what: 'imports src/ui', pattern: /['"]\.\.\/ui\//},
  {what: 'writes to the terminal', pattern: /process\.(stdout|stderr)\.write|console\.(log|error|warn)/},
];

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('service layering', () => {
  const files = SERVICE_DIRS.flatMap((dir) => sources(join(repoRoot, 'src', dir)));

  it('finds the service modules', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('keeps oclif and the terminal out of every service module', () => {
    const violations = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter(({pattern}) => pattern.test(text)).map(({what}) => `${relative(repoRoot, file)} ${what}`);
    });
    expect(violations).toEqual([]);
  });
});

describe('command flags', () => {
  it("parse numbers and durations with gshift's flag builders, whose errors name the flag (oclif's own would surface as a bug)", () => {
    const commands = sources(join(repoRoot, 'src', 'commands'));
    const raw = commands.filter((file) => /Flags\.(integer|custom|url|file|directory)\(/.test(readFileSync(file, 'utf8'))).map((file) => relative(repoRoot, file));
    expect(raw).toEqual([]);
  });
});
