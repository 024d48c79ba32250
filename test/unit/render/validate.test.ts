// The offline checks of `gshift template validate`, beyond what parsing and processing refuse.
import {describe, expect, test} from '@jest/globals';

import {processTemplate} from '../../../src/render/process.js';
import {parseTemplate} from '../../../src/render/template.js';
import {checkTemplateObjects} from '../../../src/render/validate.js';

async function findings(body: string, values: Record<string, string> = {}) {
  const template = await parseTemplate(`apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\n${body}`, 't.yaml');
  return checkTemplateObjects(template, processTemplate(template, {values}).objects);
}

describe('template validate, offline', () => {
  test('a well-formed template has no findings', async () => {
    expect(await findings('parameters: [{name: NAME, value: web}]\nobjects:\n- {apiVersion: v1, kind: Service, metadata: {name: "${NAME}"}}\n')).toEqual([]);
  });

  test('a reference to an undeclared parameter is a warning: it stays in the output as written', async () => {
    expect(await findings('objects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: "${NOPE}", b: "${{ALSO_NOPE}}"}}\n')).toEqual([
      {level: 'warning', message: 'The objects refer to ${NOPE}, which is not a parameter: it stays in the output as written.'},
      {level: 'warning', message: 'The objects refer to ${ALSO_NOPE}, which is not a parameter: it stays in the output as written.'},
    ]);
  });

  test('objects without a name, with an invalid name, or twice are errors', async () => {
    const found = await findings(
      'parameters: [{name: NAME, value: Web_1}]\nobjects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {}}\n- {apiVersion: v1, kind: Service, metadata: {name: "${NAME}"}}\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n',
    );
    expect(found.map((finding) => finding.message)).toEqual([
      'objects[0] (ConfigMap) has no metadata.name.',
      'objects[1] (Service Web_1): the name "Web_1" is not a valid Kubernetes name: it has the upper-case letter "W".',
      'objects[3] (Secret s) appears twice: Secret names must be unique.',
    ]);
    expect(found.every((finding) => finding.level === 'error')).toBe(true);
  });

  test('a bad generator expression is an error even when a value hides it from this run', async () => {
    const found = await findings('parameters: [{name: SECRET, value: given, generate: expression, from: "[a-z]{999}"}]\nobjects: []\n');
    expect(found).toEqual([{level: 'error', message: expect.stringContaining('The generator expression "[a-z]{999}" of parameter SECRET is invalid: the length 999 is outside 1..255.')}]);
  });
});
