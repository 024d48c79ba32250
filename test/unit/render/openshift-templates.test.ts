import {describe, expect, test} from '@jest/globals';
import {readFile} from 'node:fs/promises';

import {processTemplate} from '../../../src/render/process.js';
import {parseTemplate, readTemplateFile} from '../../../src/render/template.js';
import {sharedTemplate, sharedTemplateFiles} from './testdata.js';

const raw = async (file: string) => JSON.parse(await readFile(sharedTemplate(file), 'utf8'));

/**
 * What `oc process --local` makes of a template, written the way oc's own code does it and
 * independently of src/render: hard-coded metadata.namespace stripped, `"${{NAME}}"` replaced
 * by the raw value when that is JSON (else the string), `${NAME}` replaced inside strings, then
 * the substituted template labels set on every object. Working on the JSON text with escaped
 * values is safe here because every `${…}` in JSON text sits inside a string.
 */
function ocProcess(template: any, values: Map<string, string>): any[] {
  const objects = structuredClone(template.objects).map((object: any) => {
    const namespace = object.metadata?.namespace;
    if (namespace !== undefined && !/\$\{[a-zA-Z0-9_]+?\}/.test(namespace)) delete object.metadata.namespace;
    return object;
  });
  const inString = (text: string) =>
    text.replace(/\$\{([a-zA-Z0-9_]+?)\}/g, (reference, name) => (values.has(name) ? JSON.stringify(values.get(name)).slice(1, -1) : reference));
  const json = JSON.stringify(objects)
    .replace(/"\$\{\{([a-zA-Z0-9_]+)\}\}"/g, (reference, name) => {
      if (!values.has(name)) return reference;
      try {
        return JSON.stringify(JSON.parse(values.get(name)!));
      } catch {
        return JSON.stringify(values.get(name));
      }
    })
    .replace(/"((?:[^"\\]|\\.)*)"/g, (_, body: string) => `"${inString(body)}"`);
  const labels = Object.fromEntries(Object.entries(template.labels ?? {}).map(([key, value]) => [inString(key), inString(value as string)]));
  return JSON.parse(json).map((object: any) => (Object.keys(labels).length ? {...object, metadata: {...object.metadata, labels: {...object.metadata.labels, ...labels}}} : object));
}

/** The regular expression an oc `from` expression describes, for checking generated values. */
const shapeOf = (from: string) => new RegExp(`^${from.replace(/\\w/g, 'a-zA-Z0-9_').replace(/\\d/g, '0-9').replace(/\\a/g, 'a-zA-Z0-9')}$`);

describe('processing the openshift/library templates as oc process --local does', () => {
  test('the shared test data is there', () => {
    expect(sharedTemplateFiles).toEqual(expect.arrayContaining(['postgresql-persistent.json', 'eap74-basic-s2i.json', 'nginx-example.json']));
  });

  test.each(sharedTemplateFiles)('%s: every ${PARAM} of a declared parameter is substituted, and the labels merged', async (file) => {
    const template = await readTemplateFile(sharedTemplate(file));
    const original = await raw(file);
    const {objects, parameters} = processTemplate(template);
    expect(objects).toHaveLength(original.objects.length);
    const text = JSON.stringify(objects);
    for (const parameter of parameters) expect(text).not.toContain(`\${${parameter.name}}`);
    for (const [index, object] of objects.entries()) {
      expect(object.kind).toBe(original.objects[index].kind);
      for (const [key, value] of Object.entries(original.labels as Record<string, string>)) {
        expect(object.metadata.labels?.[key]).toBe(value.replace('${NAME}', parameters.find((p) => p.name === 'NAME')?.value ?? ''));
      }
    }
    // The cached template is untouched, so it can be processed again.
    expect(JSON.stringify(template.objects)).toBe(JSON.stringify(original.objects));
  });

  test.each(sharedTemplateFiles)('%s: the output equals what oc process --local gives for the same parameter values', async (file) => {
    const original = await raw(file);
    const {objects, parameters} = processTemplate(await readTemplateFile(sharedTemplate(file)));
    const values = new Map(parameters.map((parameter) => [parameter.name, parameter.value]));
    expect(objects).toEqual(ocProcess(original, values));
    // Every generated value has the shape its expression describes, and is what the objects use.
    for (const declared of original.parameters.filter((parameter: any) => parameter.generate === 'expression' && !parameter.value)) {
      const value = values.get(declared.name)!;
      expect(value).toMatch(shapeOf(declared.from));
      if (JSON.stringify(original.objects).includes(`\${${declared.name}}`)) expect(JSON.stringify(objects)).toContain(JSON.stringify(value).slice(1, -1));
    }
  });

  test.each(sharedTemplateFiles)('%s with a hard-coded namespace, a parametrised one and ${{…}} values (a variant made here) processes as oc does', async (file) => {
    const variant = await raw(file);
    variant.parameters.push({name: 'TARGET_NAMESPACE', value: 'team-a'}, {name: 'COUNT', value: '3'}, {name: 'FLAGS', value: '{"debug": true, "levels": [1, 2]}'}, {name: 'WORD', value: 'not json'});
    const [first, second] = variant.objects;
    first.metadata.namespace = 'openshift';
    second.metadata.namespace = 'ns-${TARGET_NAMESPACE}';
    // An object's own label under a template label's key: the template's value wins.
    const [labelKey] = Object.keys(variant.labels);
    first.metadata.labels = {...first.metadata.labels, [labelKey!]: 'own-value', own: 'kept'};
    first.metadata.annotations = {...first.metadata.annotations, count: '${{COUNT}}', flags: '${{FLAGS}}', word: '${{WORD}}', inline: 'n=${{COUNT}}', text: '${COUNT}', unknown: '${{NOT_A_PARAMETER}}'};
    const {objects, parameters} = processTemplate(await parseTemplate(JSON.stringify(variant), `${file} (variant)`), {values: {COUNT: '3'}});
    expect(objects).toEqual(ocProcess(variant, new Map(parameters.map((parameter) => [parameter.name, parameter.value]))));
    expect(objects[0]!.metadata.namespace).toBeUndefined();
    expect(objects[1]!.metadata.namespace).toBe('ns-team-a');
    expect(objects[0]!.metadata.labels).toMatchObject({own: 'kept', [labelKey!]: expect.not.stringMatching(/^own-value$/)});
    expect(objects[0]!.metadata.annotations).toMatchObject({count: 3, flags: {debug: true, levels: [1, 2]}, word: 'not json', inline: 'n=${{COUNT}}', text: '3', unknown: '${{NOT_A_PARAMETER}}'});
  });

  test('postgresql-persistent: defaults, generated credentials of the right shape, and the message', async () => {
    const template = await readTemplateFile(sharedTemplate('postgresql-persistent.json'));
    const {objects, message, parameters} = processTemplate(template, {values: {DATABASE_SERVICE_NAME: 'orders-db', VOLUME_CAPACITY: '5Gi'}});
    const secret = objects.find((object) => object.kind === 'Secret')!;
    const stringData = secret.stringData as Record<string, string>;
    expect(secret.metadata.name).toBe('orders-db');
    expect(stringData['database-user']).toMatch(/^user[A-Z0-9]{3}$/);
    expect(stringData['database-password']).toMatch(/^[a-zA-Z0-9]{16}$/);
    expect(stringData['database-name']).toBe('sampledb');
    const claim = objects.find((object) => object.kind === 'PersistentVolumeClaim')!;
    expect((claim.spec as any).resources.requests.storage).toBe('5Gi');
    expect(objects.find((object) => object.kind === 'Deployment')!.metadata.labels).toEqual({template: 'postgresql-persistent-template'});
    // Substitution with text around it, and more than one reference in a string.
    const deployment = objects.find((object) => object.kind === 'Deployment')!;
    expect(deployment.metadata.annotations!['image.openshift.io/triggers']).toContain('"name":"postgresql:15-el8","namespace":"openshift"');
    expect(message).toContain(`Username: ${stringData['database-user']}`);
    expect(message).toContain('Connection URL: postgresql://orders-db:5432/');
    expect(parameters.find((p) => p.name === 'POSTGRESQL_PASSWORD')).toMatchObject({source: 'generated'});
    expect(parameters.find((p) => p.name === 'DATABASE_SERVICE_NAME')).toMatchObject({source: 'given', value: 'orders-db'});
  });

  test('a value given for a generated parameter replaces generation', async () => {
    const template = await readTemplateFile(sharedTemplate('mariadb-persistent.json'));
    const {objects} = processTemplate(template, {values: {MYSQL_PASSWORD: 'chosen-by-me'}});
    const secret = objects.find((object) => object.kind === 'Secret')!;
    expect((secret.stringData as Record<string, string>)['database-password']).toBe('chosen-by-me');
    expect((secret.stringData as Record<string, string>)['database-root-password']).toMatch(/^[a-zA-Z0-9]{16}$/);
  });

  test('two processings generate different secrets', async () => {
    const template = await readTemplateFile(sharedTemplate('redis-persistent.json'));
    const password = () => (processTemplate(template).objects.find((o) => o.kind === 'Secret')!.stringData as Record<string, string>)['database-password'];
    expect(password()).not.toBe(password());
  });

  test('nginx-example: template labels written with parameters are substituted', async () => {
    const template = await readTemplateFile(sharedTemplate('nginx-example.json'));
    const {objects} = processTemplate(template, {values: {NAME: 'site'}});
    for (const object of objects) expect(object.metadata.labels).toMatchObject({app: 'site', template: 'site'});
    const buildConfig = objects.find((object) => object.kind === 'BuildConfig')!;
    // A nested "namespace" field is not metadata.namespace: it is substituted, not stripped.
    expect(JSON.stringify(buildConfig.spec)).toContain('"namespace":"openshift"');
    // Optional parameters without a value become empty strings, as in oc.
    expect(objects.find((object) => object.kind === 'Route')!.spec).toMatchObject({host: ''});
  });

  test('eap74-basic-s2i: required parameters with defaults, DeploymentConfig labels only on its metadata', async () => {
    const template = await readTemplateFile(sharedTemplate('eap74-basic-s2i.json'));
    const {objects} = processTemplate(template, {values: {APPLICATION_NAME: 'shop'}});
    const deploymentConfig = objects.find((object) => object.kind === 'DeploymentConfig')!;
    expect(deploymentConfig.metadata.name).toBe('shop');
    expect(deploymentConfig.metadata.labels).toMatchObject({template: 'eap74-basic-s2i', xpaas: '7.4.0', application: 'shop'});
    const secrets = (deploymentConfig.spec as any).template.spec.containers[0].env.filter((env: any) => env.name === 'JGROUPS_CLUSTER_PASSWORD');
    expect(secrets[0].value).toMatch(/^[a-zA-Z0-9]{8}$/);
  });

  test('an unknown parameter is an error unless ignored', async () => {
    const template = await readTemplateFile(sharedTemplate('httpd-example.json'));
    expect(() => processTemplate(template, {values: {NAMME: 'x'}})).toThrow(/has no parameter NAMME/);
    expect(processTemplate(template, {values: {NAMME: 'x'}, ignoreUnknown: true}).objects).toHaveLength(5);
  });

  test('a missing required parameter is named', async () => {
    const template = await readTemplateFile(sharedTemplate('mysql-persistent.json'));
    expect(() => processTemplate(template, {values: {MYSQL_DATABASE: ''}})).toThrow(/required parameter MYSQL_DATABASE\./);
  });
});
