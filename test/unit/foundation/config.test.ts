import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {loadConfig} from '../../../src/config/load.js';
import {resolveTarget} from '../../../src/core/target.js';
import {runCli} from '../../support/cli.ts';

/** A repository with a .git directory, a nested working directory and no user-level file. */
function repository(files: Record<string, string>): {root: string; nested: string; env: NodeJS.ProcessEnv} {
  const root = mkdtempSync(join(tmpdir(), 'gshift-config-'));
  mkdirSync(join(root, '.git'));
  const nested = join(root, 'services', 'web');
  mkdirSync(nested, {recursive: true});
  for (const [path, content] of Object.entries(files)) writeFileSync(join(root, path), content);
  return {root, nested, env: {XDG_CONFIG_HOME: join(root, 'no-user-config')}};
}

describe('loading the config', () => {
  it('finds gshift.config.yaml at the repository root from a nested directory', async () => {
    const {root, nested, env} = repository({'gshift.config.yaml': 'tenant: shop\nenv: dev\nregistry: registry.example.gov/certified\n'});
    const config = await loadConfig(nested, env);
    expect(config.values).toMatchObject({tenant: 'shop', env: 'dev', registry: 'registry.example.gov/certified', platform: 'auto'});
    expect(config.sources.tenant).toBe(join(root, 'gshift.config.yaml'));
    expect(config.sources.platform).toBe('default');
  });

  it.each([
    ['gshift.config.json', '{"tenant": "named"}'],
    ['gshift.config.yaml', 'tenant: named\n'],
    ['gshift.config.yml', 'tenant: named\n'],
    ['gshift.config.mjs', "export default {tenant: 'named'};\n"],
    ['gshift.config.ts', "export default {tenant: 'named' as string};\n"],
    ['.gshiftrc', 'tenant: named\n'],
    ['.gshiftrc.json', '{"tenant": "named"}'],
    ['.gshiftrc.yaml', 'tenant: named\n'],
    ['.gshiftrc.yml', 'tenant: named\n'],
    ['.gshiftrc.mjs', "export default {tenant: 'named'};\n"],
    ['.gshiftrc.ts', "export default {tenant: 'named' as string};\n"],
    ['package.json', JSON.stringify({name: 'x', gshift: {tenant: 'named'}})],
  ])('reads %s', async (file, content) => {
    const {root, nested, env} = repository({[file]: content});
    const config = await loadConfig(nested, env);
    expect(config.values.tenant).toBe('named');
    expect(config.sources.tenant).toBe(join(root, file));
    expect(config.files).toEqual([join(root, file)]);
  });

  it('passes over a package.json without a gshift key to the config file beside it', async () => {
    const {root, nested, env} = repository({'package.json': JSON.stringify({name: 'x'}), 'gshift.config.yaml': 'tenant: beside\n'});
    expect((await loadConfig(nested, env)).sources.tenant).toBe(join(root, 'gshift.config.yaml'));
  });

  it('takes the nearest project file: one in the working directory hides the repository root\'s', async () => {
    const {nested, env} = repository({'gshift.config.yaml': 'tenant: root\nenv: test\n', 'services/web/.gshiftrc.json': '{"tenant": "web"}'});
    const {values} = await loadConfig(nested, env);
    expect(values.tenant).toBe('web');
    expect(values.env).toBeUndefined();
  });

  it('reads the user-level file named by GSHIFT_CONFIG, and names it when it is missing', async () => {
    const {root, nested} = repository({'me.yaml': 'registry: registry.example.gov/certified\n'});
    const config = await loadConfig(nested, {GSHIFT_CONFIG: join(root, 'me.yaml')});
    expect(config.sources.registry).toBe(join(root, 'me.yaml'));
    await expect(loadConfig(nested, {GSHIFT_CONFIG: join(root, 'gone.yaml')})).rejects.toMatchObject({
      code: 'CONFIG',
      message: `The config file ${join(root, 'gone.yaml')} named by GSHIFT_CONFIG does not exist.`,
    });
  });

  it('reads the gshift key of package.json', async () => {
    const {nested, env} = repository({'package.json': JSON.stringify({name: 'x', gshift: {platform: 'kubernetes'}})});
    expect((await loadConfig(nested, env)).values.platform).toBe('kubernetes');
  });

  it('reads a TypeScript config file without a compiler', async () => {
    const {nested, env} = repository({'gshift.config.ts': "const config: {tenant: string} = {tenant: 'typed'};\nexport default config;\n"});
    expect((await loadConfig(nested, env)).values.tenant).toBe('typed');
  });

  it('reads a TypeScript config file in gshift logs too, which runs in a leaner V8 (that must keep the type stripping)', () => {
    const {root, nested, env} = repository({'gshift.config.ts': "const config: {platform: string} = {platform: 'mainframe'};\nexport default config;\n"});
    // The config is read before anything connects: its bad value, not a cluster, is the answer.
    const result = runCli(['logs', 'web', '-n', 'shop-dev'], {cwd: nested, env: {...env, KUBECONFIG: join(root, 'no-kubeconfig')}});
    expect(result.status).toBe(11);
    expect(result.stderr).toContain(join(root, 'gshift.config.ts'));
    expect(result.stderr).toContain('platform');
  });

  it('does not look above the repository root', async () => {
    const {root, env} = repository({});
    const inner = join(root, 'inner');
    mkdirSync(join(inner, '.git'), {recursive: true});
    writeFileSync(join(root, '.gshiftrc.json'), JSON.stringify({tenant: 'outer'}));
    expect((await loadConfig(inner, env)).values.tenant).toBeUndefined();
  });

  it('layers the project file over the user-level file, and resolves template directories from the file', async () => {
    const {root, nested, env} = repository({'.gshiftrc.yaml': 'env: test\ntemplateDirs: [stacks]\n'});
    mkdirSync(join(root, 'user', 'gshift'), {recursive: true});
    writeFileSync(join(root, 'user', 'gshift', 'config.yaml'), 'tenant: from-user\nenv: dev\n');
    const config = await loadConfig(nested, {XDG_CONFIG_HOME: join(root, 'user')});
    expect(config.values).toMatchObject({tenant: 'from-user', env: 'test', templateDirs: [join(root, 'stacks')]});
  });

  it('lets GSHIFT_TENANT override the files', async () => {
    const {nested, env} = repository({'gshift.config.json': JSON.stringify({tenant: 'file'})});
    const config = await loadConfig(nested, {...env, GSHIFT_TENANT: 'pipeline'});
    expect(config.values.tenant).toBe('pipeline');
    expect(config.sources.tenant).toBe('GSHIFT_TENANT');
  });

  it('rejects an unknown key, naming the file and the allowed keys', async () => {
    const {root, nested, env} = repository({'gshift.config.yaml': 'tennant: shop\n'});
    await expect(loadConfig(nested, env)).rejects.toMatchObject({
      code: 'CONFIG',
      message: `${join(root, 'gshift.config.yaml')}: "tennant" is not a gshift setting.`,
      hint: expect.stringContaining('tenant'),
    });
  });

  it('rejects a bad value, naming the key and what is allowed', async () => {
    const {nested, env} = repository({'gshift.config.yaml': 'platform: openshfit\n'});
    await expect(loadConfig(nested, env)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/"platform" is "openshfit", but it must be one of auto, openshift, kubernetes\.$/),
    });
  });

  it('reports a syntax error with the file', async () => {
    const {nested, env} = repository({'gshift.config.json': '{"tenant": '});
    await expect(loadConfig(nested, env)).rejects.toMatchObject({code: 'CONFIG', message: expect.stringContaining('gshift.config.json')});
  });
});

describe('choosing the namespace', () => {
  const config = {environments: ['dev', 'test', 'acc', 'prod']};
  it('prefers --namespace', () => {
    expect(resolveTarget({flags: {namespace: 'x', tenant: 't', env: 'dev'}, config}).namespace).toBe('x');
  });
  it('builds <tenant>-<env> from flags or config', () => {
    expect(resolveTarget({flags: {env: 'prod'}, config: {...config, tenant: 'shop'}})).toMatchObject({namespace: 'shop-prod', source: 'tenant and env'});
  });
  it('falls back to the kube context namespace, then default', () => {
    expect(resolveTarget({flags: {}, config, contextNamespace: 'mine'}).namespace).toBe('mine');
    expect(resolveTarget({flags: {}, config}).namespace).toBe('default');
  });
  it('rejects an environment the platform does not have', () => {
    expect(() => resolveTarget({flags: {tenant: 'shop', env: 'staging'}, config})).toThrow(/not one of this platform's environments/);
  });
});
