import {describe, expect, it} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.ts';
import {type EnvironmentSettings, planCreate, planUpdate, readSettings, writeSettings} from '../../../src/tenant/settings.ts';

const config = {environments: DEFAULT_CONFIG.environments, haEnvironments: DEFAULT_CONFIG.haEnvironments};
const create = (overrides: Partial<Parameters<typeof planCreate>[0]> = {}) => planCreate({name: 'shop', ciAccount: false, adopt: false, ...overrides}, config);

describe('planning a tenant', () => {
  it('gives every configured environment by default, in promotion order', () => {
    expect(create().environments.map((env) => env.namespace)).toEqual(['shop-dev', 'shop-test', 'shop-acc', 'shop-prod']);
    expect(create({envs: 'prod,dev'}).environments.map((env) => env.env)).toEqual(['dev', 'prod']);
  });

  it('rejects a tenant name that is not a DNS label, saying which rule it breaks', () => {
    const rules: Record<string, string> = {
      Shop: 'it has the upper-case letter "S"',
      shop_1: 'it has the character "_"',
      'sh op': 'it has the character " "',
      '-shop': 'it must start with a letter or digit',
      'shop-': 'it must end with a letter or digit',
      '': 'it is empty',
      ['a'.repeat(64)]: 'it has 64 characters and the limit is 63',
    };
    for (const [name, rule] of Object.entries(rules)) expect(() => create({name})).toThrow(`"${name}" is not a valid tenant name: ${rule}.`);
  });

  it('rejects names reserved for the platform', () => {
    expect(() => create({name: 'kube-team'})).toThrow(/reserved/);
    expect(() => create({name: 'openshift'})).toThrow(/reserved/);
  });

  it('rejects a tenant whose namespace would pass 63 characters, saying how long it may be', () => {
    expect(() => create({name: 'a'.repeat(60)})).toThrow(/would be 64 characters long; Kubernetes allows 63/);
  });

  it('rejects an environment the config does not list, and one that is not a DNS label', () => {
    expect(() => create({envs: 'dev,staging'})).toThrow(/"staging" is not one of this platform's environments \(dev, test, acc, prod\)/);
    expect(() => create({envs: 'Dev'})).toThrow('"Dev" is not a valid environment name: it has the upper-case letter "D".');
  });

  it('rejects group names with white space', () => {
    expect(() => create({admins: ['shop admins']})).toThrow(/contains white space/);
  });

  it('accepts repeated and comma-separated groups', () => {
    expect(create({developers: ['b-devs,a-devs', 'c-devs']}).environments[0]!.settings.members.developers).toEqual(['a-devs', 'b-devs', 'c-devs']);
  });

  it('marks acc and prod as HA: larger quotas', () => {
    const plan = create({quota: 'pods=10'});
    expect(plan.environments.map((env) => [env.env, env.ha, env.quota.pods])).toEqual([
      ['dev', false, '10'],
      ['test', false, '10'],
      ['acc', true, '10'],
      ['prod', true, '10'],
    ]);
    expect(plan.environments[3]!.quota['requests.cpu']).toBe('8');
  });
});

describe('planning an update', () => {
  const current = new Map<string, EnvironmentSettings>([
    ['dev', {quota: {pods: '10'}, members: {admins: ['shop-admins'], developers: ['shop-devs'], viewers: []}, ciAccount: true}],
    ['prod', {quota: {}, members: {admins: ['shop-admins'], developers: ['shop-devs'], viewers: ['auditors']}, ciAccount: true}],
  ]);

  it('changes only what the flags name', () => {
    const plan = planUpdate({name: 'shop', quota: 'cpu=1'}, current, config);
    expect(plan.environments[0]!.settings).toEqual({...current.get('dev'), quota: {pods: '10', 'requests.cpu': '1', 'limits.cpu': '2'}});
    expect(plan.environments[1]!.settings.members.viewers).toEqual(['auditors']);
  });

  it('limits the change to one environment with --env', () => {
    expect(planUpdate({name: 'shop', env: 'prod', viewers: ['']}, current, config).environments.map((env) => [env.env, env.settings.members.viewers])).toEqual([['prod', []]]);
  });

  it('adds an environment with the members of the existing ones and its own quota defaults', () => {
    const plan = planUpdate({name: 'shop', addEnvs: 'acc'}, current, config);
    expect(plan.environments.map((env) => env.env)).toEqual(['dev', 'acc', 'prod']);
    const acc = plan.environments[1]!;
    expect(acc.settings).toEqual({quota: {}, members: current.get('dev')!.members, ciAccount: true});
  });
});

describe('stored settings', () => {
  it('round-trip through the namespace annotation, byte-identical for identical settings', () => {
    const settings: EnvironmentSettings = {quota: {pods: '5', 'requests.cpu': '1'}, members: {admins: ['a'], developers: [], viewers: ['v']}, ciAccount: true};
    const text = writeSettings(settings);
    expect(readSettings(text)).toEqual(settings);
    expect(writeSettings({...settings, quota: {'requests.cpu': '1', pods: '5'}})).toBe(text);
  });

  it('ignores what it cannot read instead of failing', () => {
    expect(readSettings('{not json')).toBeUndefined();
    expect(readSettings(JSON.stringify({quota: {pods: 'many', gpus: '1', 'requests.cpu': '2'}}))?.quota).toEqual({'requests.cpu': '2'});
  });
});
