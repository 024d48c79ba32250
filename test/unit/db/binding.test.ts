import {describe, expect, it} from '@jest/globals';

import type {KubeObject} from '../../../src/cluster/index.js';
import {bindingVariables, bindingsOf, checkPrefix, withBindings} from '../../../src/db/binding.js';

const deployment = (): KubeObject => ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web'}, spec: {template: {spec: {containers: [{name: 'web', env: [{name: 'DATABASE_HOST', value: 'stale'}, {name: 'LOG', value: 'info'}]}]}}}});

describe('db attach: the binding', () => {
  it('references the Secret for every value and builds the URL with $(VAR) expansion, never a literal password', () => {
    const variables = bindingVariables({database: 'orders', engine: 'postgresql', prefix: 'DATABASE'});
    expect(variables.map((variable) => variable.name)).toEqual(['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_USER', 'DATABASE_PASSWORD', 'DATABASE_NAME', 'DATABASE_URL']);
    expect(variables.find((variable) => variable.name === 'DATABASE_PASSWORD')).toEqual({name: 'DATABASE_PASSWORD', valueFrom: {secretKeyRef: {name: 'orders', key: 'password'}}});
    expect(variables.at(-1)!.value).toBe('postgresql://$(DATABASE_USER):$(DATABASE_PASSWORD)@$(DATABASE_HOST):$(DATABASE_PORT)/$(DATABASE_NAME)');
    expect(bindingVariables({database: 'cache', engine: 'redis', prefix: 'CACHE'}).map((variable) => variable.name)).toEqual(['CACHE_HOST', 'CACHE_PORT', 'CACHE_USER', 'CACHE_PASSWORD', 'CACHE_URL']);
  });

  it("adds the variables to the app's main container, replacing ones of the same name and keeping the others", () => {
    const [bound] = withBindings([deployment()], 'web', bindingsOf({DATABASE: 'postgresql/orders'}));
    const env = (bound!.spec as any).template.spec.containers[0].env as Array<{name: string; value?: string}>;
    expect(env.map((variable) => variable.name)).toEqual(['LOG', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_USER', 'DATABASE_PASSWORD', 'DATABASE_NAME', 'DATABASE_URL']);
    expect(env.find((variable) => variable.name === 'DATABASE_HOST')!.value).toBeUndefined();
    expect(withBindings([deployment()], 'web', [])).toEqual([deployment()]);
  });

  it('refuses a prefix that cannot start a variable name', () => {
    expect(checkPrefix('ORDERS_DB')).toBe('ORDERS_DB');
    expect(() => checkPrefix('orders-db')).toThrow(expect.objectContaining({code: 'USAGE'}));
  });
});
