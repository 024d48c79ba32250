import {describe, expect, it} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {foldFields} from '../../../src/up/from-tenant.ts';
import {fileText, refuseDatabaseStacks, starterFile} from '../../../src/up/init.ts';
import {checkTenantFile} from '../../../src/up/file.ts';
import {listStackEntries} from '../../../src/render/catalogue.ts';

describe('gshift init', () => {
  it('writes a starter file the checker accepts, with the schema line first', async () => {
    const content = starterFile({tenant: 'shop', envs: 'prod,dev', apps: ['web:nodejs', 'api:java'], dbs: ['orders:postgresql']}, DEFAULT_CONFIG);
    expect(content.spec.environments.map((environment) => environment.name)).toEqual(['dev', 'prod']);
    expect(content.spec.apps).toEqual([
      {name: 'web', stack: 'nodejs', databases: ['orders']},
      {name: 'api', stack: 'java', databases: ['orders']},
    ]);
    const text = fileText(content, '/tmp/project/gshift.yaml');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*gshift\.schema\.json$/);
    const {problems} = await checkTenantFile(text, {file: 'gshift.yaml', knownStacks: listStackEntries([]).map((entry) => entry.name)});
    expect(problems).toEqual([]);
  });

  it('refuses names the commands would refuse, before writing anything', () => {
    expect(() => starterFile({tenant: 'kube-shop'}, DEFAULT_CONFIG)).toThrow(/reserved for the platform/);
    expect(() => starterFile({tenant: 'shop', apps: ['web']}, DEFAULT_CONFIG)).toThrow(/--app "web" is not NAME:STACK/);
    expect(() => starterFile({tenant: 'shop', apps: ['web:rails']}, DEFAULT_CONFIG)).toThrow(/no stack named "rails"/);
    expect(() => starterFile({tenant: 'shop', dbs: ['orders:oracle']}, DEFAULT_CONFIG)).toThrow(/no database engine "oracle"/);
    expect(() => starterFile({tenant: 'shop', apps: ['orders:nodejs'], dbs: ['orders:redis']}, DEFAULT_CONFIG)).toThrow(/named twice/);
  });

  it('refuses a database stack given as an app (exit 2), pointing to --db with its engine', async () => {
    const content = starterFile({tenant: 'shop', apps: ['web:nodejs', 'orders:postgresql']}, DEFAULT_CONFIG);
    await expect(refuseDatabaseStacks(content, [])).rejects.toMatchObject({
      code: 'USAGE',
      sentence: '--app orders:postgresql names a database stack; databases are declared with --db.',
      hint: 'pass --db orders:postgresql instead.',
    });
    await expect(refuseDatabaseStacks(starterFile({tenant: 'shop', apps: ['web:nodejs']}, DEFAULT_CONFIG), [])).resolves.toBeUndefined();
  });
});

describe('describing what runs, per environment, in one file', () => {
  it('writes once what every environment shares and the rest as overrides', () => {
    const byEnv = new Map([
      ['dev', {image: 'web:2', replicas: 1, env: {A: '1', B: '2'}}],
      ['prod', {image: 'web:1', replicas: 1, env: {A: '1', B: '3'}, host: 'shop.example.org'}],
    ]);
    const {base, overrides} = foldFields(byEnv, (fields) => fields);
    expect(base).toEqual({replicas: 1, env: {A: '1'}});
    expect(Object.fromEntries(overrides)).toEqual({
      dev: {image: 'web:2', env: {B: '2'}},
      prod: {image: 'web:1', env: {B: '3'}, host: 'shop.example.org'},
    });
  });
});
