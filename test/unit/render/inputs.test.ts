import {describe, expect, test} from '@jest/globals';

import {appRenderInput, checkAppName, checkHost, checkStorageSize, parseEnvVars, parseImageReference, type AppConfig} from '../../../src/app/inputs.js';

const config: AppConfig = {platform: 'auto', templateDirs: [], environments: ['dev', 'test', 'acc', 'prod'], haEnvironments: ['acc', 'prod']};

describe('app inputs', () => {
  test.each([
    ['', 'it is empty'],
    ['a'.repeat(64), 'it has 64 characters and the limit is 63'],
    ['Shop', 'it has the upper-case letter "S"'],
    ['shop_api', 'it has the character "_"'],
    ['1shop', 'it must start with a letter'],
    ['shop-', 'it must end with a letter or digit'],
  ])('rejects the app name %j and says which rule it breaks', (name, rule) => {
    expect(() => checkAppName(name)).toThrow(`is not a valid app name: ${rule}.`);
  });

  test('accepts DNS-1035 labels', () => {
    expect(checkAppName('shop-api2')).toBe('shop-api2');
  });

  test('--env-var needs KEY=VALUE with a valid key, once each', () => {
    expect(parseEnvVars(['A=1', 'B=x=y', 'C='])).toEqual({A: '1', B: 'x=y', C: ''});
    expect(() => parseEnvVars(['A'])).toThrow('--env-var "A" is not KEY=VALUE.');
    expect(() => parseEnvVars(['1A=x'])).toThrow('--env-var 1A is not a valid variable name');
    expect(() => parseEnvVars(['A=1', 'A=2'])).toThrow('--env-var A was given more than once.');
  });

  test.each([
    ['nginx', {repository: 'nginx'}],
    ['quay.io/team/shop:1.2', {registry: 'quay.io', repository: 'team/shop', tag: '1.2'}],
    ['localhost:5000/shop', {registry: 'localhost:5000', repository: 'shop'}],
    [`registry.example.org/shop@sha256:${'a'.repeat(64)}`, {registry: 'registry.example.org', repository: 'shop', digest: `sha256:${'a'.repeat(64)}`}],
  ])('parses the image %s', (reference, parsed) => {
    expect(parseImageReference(reference)).toEqual(parsed);
  });

  test.each([
    ['quay.io/Team/shop', 'the path part "Team"'],
    ['shop:', 'the tag ""'],
    ['shop@sha256:xyz', 'the digest "sha256:xyz"'],
    ['my shop', 'it is empty or has spaces'],
  ])('rejects the image %j', (reference, why) => {
    expect(() => parseImageReference(reference)).toThrow(why);
  });

  test('storage sizes and hosts', () => {
    expect(checkStorageSize('10Gi')).toBe('10Gi');
    expect(() => checkStorageSize('10GB')).toThrow('"10GB" is not a storage size.');
    expect(checkHost('shop.apps.example.org')).toBe('shop.apps.example.org');
    expect(() => checkHost('Shop.example.org')).toThrow('is not a valid host name');
  });

  test('flags and config become the render input: platform from flag, else config, else OpenShift', () => {
    const flags = {name: 'shop', stack: 'nodejs', envVar: ['A=1'], param: ['MEMORY_LIMIT=1Gi']};
    expect(appRenderInput(flags, config)).toMatchObject({name: 'shop', stack: 'nodejs', env: 'dev', platform: 'openshift', envVars: {A: '1'}, params: {MEMORY_LIMIT: '1Gi'}});
    expect(appRenderInput(flags, {...config, platform: 'kubernetes'}).platform).toBe('kubernetes');
    expect(appRenderInput({...flags, platform: 'openshift'}, {...config, platform: 'kubernetes'}).platform).toBe('openshift');
    expect(appRenderInput({...flags, tenant: 'webshop', env: 'prod'}, config)).toMatchObject({tenant: 'webshop', env: 'prod', namespace: 'webshop-prod'});
    expect(() => appRenderInput({...flags, stack: 'rubby'}, config)).toThrow('There is no stack named "rubby".');
    expect(() => appRenderInput({...flags, env: 'staging'}, config)).toThrow('"staging" is not one of this platform\'s environments');
    expect(() => appRenderInput({...flags, param: ['A=1', 'A=2']}, config)).toThrow('The parameter A was given more than once.');
  });
});
