import {describe, expect, test} from '@jest/globals';
import {parse} from 'yaml';

import {listStackEntries} from '../../../src/render/catalogue.js';
import {renderApp} from '../../../src/render/compose.js';
import {toYaml, yamlString} from '../../../src/render/yaml-emit.js';

// kubectl reads YAML 1.1, where these are not strings; the yaml package reads 1.2. Both must agree.
const TRICKY = ['yes', 'No', 'on', 'OFF', 'y', 'n', 'null', '~', '', ' ', '0755', '1e3', '0x1F', '1:20', '-1', '.inf', '2001-12-14', 'a: b', 'a #b', '#x', '- x', '[x]', '{x}', '*a', '&a', '!tag', '|', '>', '%x', '@x', '`x', '"q"', "'q'", 'x\ny', 'tab\there', 'nul\u0000', 'nel\u0085', 'ls\u2028', 'bom\ufeff', 'ünïcode', 'http://x.y/z?a=b', 'trailing ', 'a:', '<<', '='];

describe('the YAML writer', () => {
  test.each(TRICKY)('%j reads back as the same string', (text) => {
    expect(parse(`v: ${yamlString(text)}\n`).v).toBe(text);
    expect(parse(`v: ${yamlString(text)}\n`, {version: '1.1'}).v).toBe(text);
  });

  test('keys, nesting, empty collections, numbers, booleans and null round-trip', () => {
    const value = {a: {b: [1, 2.5, -3], 'c d': {}, e: [], f: [{g: true, h: null}, [['x']], 'y']}, 'yes': 'no', '': 'empty key'};
    expect(parse(toYaml(value))).toEqual(value);
    expect(parse(toYaml(value), {version: '1.1'})).toEqual(value);
  });

  test('every built-in stack, for every environment and platform, round-trips exactly', async () => {
    for (const {name} of listStackEntries()) {
      for (const env of ['dev', 'prod']) {
        for (const platform of ['openshift', 'kubernetes'] as const) {
          const objects = await renderApp({name: 'app', stack: name, env, platform, tenant: 't', haEnvironments: ['prod'], envVars: {'ODD: "value"': 'x'}});
          const list = {apiVersion: 'v1', kind: 'List', items: objects};
          expect(parse(toYaml(list), {version: '1.1'})).toEqual(list);
        }
      }
    }
  });
});
