import {describe, expect, test} from '@jest/globals';

import {compileExpression, generateValue} from '../../../src/render/generate.js';
import {combineParameterValues, parseParameterAssignments, parseParameterFile} from '../../../src/render/parameters.js';
import {processTemplate} from '../../../src/render/process.js';
import {parseTemplate} from '../../../src/render/template.js';
import {formatManifests} from '../../../src/render/manifest.js';

const template = (body: string) => parseTemplate(`apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: t}\n${body}`, 't.yaml');

describe('the expression generator', () => {
  test.each([
    ['[a-zA-Z0-9]{16}', /^[a-zA-Z0-9]{16}$/],
    ['user[A-Z0-9]{3}', /^user[A-Z0-9]{3}$/],
    ['[\\w]{40}', /^\w{40}$/],
    ['[\\d]{12}', /^\d{12}$/],
    ['[\\a]{12}', /^[a-zA-Z0-9]{12}$/],
    ['[\\A]{30}', /^[~!@#$%^&*()\-_+={}[\]\\|<,>.?/"';:`]{30}$/],
    ['0x[A-F0-9]{4}-[a-f]{2}', /^0x[A-F0-9]{4}-[a-f]{2}$/],
  ])('%s generates values of that shape', (expression, shape) => {
    for (let run = 0; run < 20; run++) expect(generateValue(expression)).toMatch(shape);
  });

  test.each([
    ['\\w', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'],
    ['\\d', '0123456789'],
    // oc's generator, not its documentation ([a-zA-Z]): a team's template must generate the same characters here as with oc.
    ['\\a', 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'],
    ['\\A', '~!@#$%^&*()-_+={}[]\\|<,>.?/"\';:`'],
  ])('the shorthand %s draws from exactly the characters oc uses', (shorthand, characters) => {
    const [segment] = compileExpression(`[${shorthand}]{4}`);
    expect([...(segment as {alphabet: string}).alphabet].sort()).toEqual([...characters].sort());
  });

  test('ranges include their last character (oc never emits it)', () => {
    const seen = new Set(Array.from({length: 400}, () => generateValue('[0-1]{1}')));
    expect(seen).toEqual(new Set(['0', '1']));
    const letters = new Set(generateValue('[x-z]{255}'));
    expect(letters.has('z')).toBe(true);
  });

  test.each([
    ['[a-z]', /needs a closing \] followed by a length/],
    ['[a-z]{0}', /length 0 is outside 1\.\.255/],
    ['[a-z]{256}', /length 256/],
    ['[z-a]{4}', /range z-a runs backwards/],
    ['[a-z!]{4}', /"!" cannot appear/],
    ['[\\x]{4}', /\\x is not one of/],
    ['[]{4}', /\[\] is empty/],
  ])('rejects %s with a clear reason', (expression, reason) => {
    expect(() => compileExpression(expression, 'parameter P')).toThrow(reason);
    expect(() => compileExpression(expression, 'parameter P')).toThrow(/of parameter P is invalid/);
  });

  test('a bad expression in a template is reported when processing', async () => {
    const bad = await template('parameters:\n- {name: P, generate: expression, from: "[a-z]{999}"}\nobjects: []');
    expect(() => processTemplate(bad)).toThrow(/"\[a-z\]\{999\}" of parameter P is invalid/);
  });
});

describe('substitution', () => {
  test('several references per string, text around them, and unknown references left alone', async () => {
    const t = await template('parameters: [{name: A, value: x}, {name: B, value: y}]\nobjects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: "${A}-${B}"}, data: {url: "http://${A}:${B}/${NOPE}", "${A}-key": "$A {A} ${ A }"}}');
    const [object] = processTemplate(t).objects;
    expect(object!.metadata.name).toBe('x-y');
    expect(object!.data).toEqual({url: 'http://x:y/${NOPE}', 'x-key': '$A {A} ${ A }'});
  });

  test('${{NAME}} is JSON-decoded only when it is the whole string', async () => {
    const t = await template(
      'parameters: [{name: N, value: "3"}, {name: B, value: "true"}, {name: L, value: "[1, \\"a\\"]"}, {name: W, value: "not json"}]\n' +
        'objects:\n- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: "${{N}}", paused: "${{B}}", list: "${{L}}", word: "${{W}}", inline: "n=${{N}}", plain: "${N}"}}',
    );
    expect(processTemplate(t).objects[0]!.spec).toEqual({replicas: 3, paused: true, list: [1, 'a'], word: 'not json', inline: 'n=${{N}}', plain: '3'});
  });

  test.each([
    ['YAML flow syntax', 'foo: [bar]'],
    ['a JSON object', '{"a": 1}'],
    ['a quote, a newline and a list item', '"\n- x: 1\n'],
    ['a YAML document marker and anchors', '---\n&a *a !!map'],
    ['a number', '0755'],
    ['a boolean word', 'yes'],
  ])('a parameter value containing %s comes out as a plain string', async (_, value) => {
    const t = await template('parameters: [{name: V}]\nobjects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {v: "${V}", w: "prefix ${V}"}}');
    const {objects} = processTemplate(t, {values: {V: value}});
    expect(objects[0]!.data).toEqual({v: value, w: `prefix ${value}`});
    for (const format of ['yaml', 'json'] as const) {
      const printed = await formatManifests(objects, format);
      const {parse} = await import('yaml');
      expect(parse(printed).items[0].data).toEqual({v: value, w: `prefix ${value}`});
    }
  });

  test('a hard-coded metadata.namespace is removed; a parametrised one is kept and substituted', async () => {
    const t = await template(
      'parameters: [{name: NS, value: team-a}]\nobjects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: openshift}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: "${NS}"}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}',
    );
    expect(processTemplate(t).objects.map((object) => object.metadata.namespace)).toEqual([undefined, 'team-a', undefined]);
  });

  test('template labels are merged into every object, and win over the object\'s own', async () => {
    const t = await template('labels: {team: "${T}", tier: web}\nparameters: [{name: T, value: blue}]\nobjects:\n- {apiVersion: v1, kind: Service, metadata: {name: s, labels: {tier: db, keep: me}}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}');
    const {objects} = processTemplate(t, {labels: {extra: 'yes'}});
    expect(objects[0]!.metadata.labels).toEqual({tier: 'web', keep: 'me', team: 'blue', extra: 'yes'});
    expect(objects[1]!.metadata.labels).toEqual({team: 'blue', tier: 'web', extra: 'yes'});
  });
});

describe('parameter values from -p and --param-file', () => {
  test('NAME=VALUE splits at the first =', () => {
    expect(parseParameterAssignments(['A=1', 'B=x=y', 'C='])).toEqual(new Map([['A', '1'], ['B', 'x=y'], ['C', '']]));
  });
  test('a parameter given twice is an error naming it', () => {
    expect(() => parseParameterAssignments(['A=1', 'B=2', 'A=3'])).toThrow('The parameter A was given more than once.');
  });
  test('an assignment without = is an error', () => {
    expect(() => parseParameterAssignments(['A'])).toThrow(/-p "A" is not NAME=VALUE/);
  });
  test('a param file is dotenv: comments, export, quotes; -p wins with a warning', () => {
    const file = parseParameterFile('# db\nexport USER=alice\nPASSWORD="s3cr=t\\n"\nNAME=\'lit $x\'\n\nA=from-file\n', 'p.env');
    expect(file).toEqual(new Map([['USER', 'alice'], ['PASSWORD', 's3cr=t\n'], ['NAME', 'lit $x'], ['A', 'from-file']]));
    const {values, overridden} = combineParameterValues(new Map([['A', 'from-flag']]), [{source: 'p.env', values: file}]);
    expect(values.get('A')).toBe('from-flag');
    expect(overridden).toEqual(['Parameter A is already set, so its value in p.env is ignored.']);
  });
  test('a bad line in a param file is reported with its line', () => {
    expect(() => parseParameterFile('A=1\nthis is not\n', 'p.env')).toThrow('p.env:2 is not NAME=VALUE.');
  });
});

describe('malformed templates', () => {
  test('a YAML syntax error names the file and line', async () => {
    await expect(parseTemplate('kind: Template\nobjects:\n  - [unclosed\n', 'bad.yaml')).rejects.toThrow(/^bad\.yaml:\d+ is not valid YAML/);
  });
  test('a JSON syntax error names the file and line', async () => {
    await expect(parseTemplate('{\n  "kind": "Template",\n  "objects": [,]\n}', 'bad.json')).rejects.toThrow(/^bad\.json:3 is not valid JSON/);
  });
  test('a structural error names the path and its line', async () => {
    const text = 'apiVersion: template.openshift.io/v1\nkind: Template\nobjects:\n- apiVersion: v1\n  kind: Service\n- apiVersion: v1\n  metadata: {name: x}\n';
    await expect(parseTemplate(text, 't.yaml')).rejects.toThrow('t.yaml:6: objects[1].kind must be set.');
  });
  test('a duplicated parameter is an error naming it', async () => {
    await expect(template('parameters:\n- name: A\n- name: B\n- name: A\n')).rejects.toThrow('t.yaml:7: parameters[2].name duplicates parameter A (already defined at parameters[0]).');
  });
  test('a non-Template document is rejected', async () => {
    await expect(parseTemplate('apiVersion: v1\nkind: List\nitems: []\n', 'l.yaml')).rejects.toThrow('l.yaml:2: kind must be "Template", not "List".');
  });
  test('an unknown generator is rejected', async () => {
    await expect(template('parameters:\n- {name: A, generate: uuid}\n')).rejects.toThrow(/unknown generator "uuid"/);
  });
});

describe('the parsed-template cache', () => {
  test('a YAML template is parsed once and then read from the cache; a changed text is a new entry', async () => {
    const {mkdtempSync, readdirSync, writeFileSync} = await import('node:fs');
    const {join} = await import('node:path');
    const {tmpdir} = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'gshift-cache-'));
    const previous = process.env.GSHIFT_CACHE_DIR;
    process.env.GSHIFT_CACHE_DIR = dir;
    try {
      const text = 'apiVersion: v1\nkind: Template\nobjects: []\nparameters: [{name: A, value: one}]\n';
      expect((await parseTemplate(text, 'a.yaml')).parameters[0]!.value).toBe('one');
      const [entry] = readdirSync(dir);
      expect(entry).toMatch(/\.json$/);
      // A corrupt entry is ignored, not trusted.
      writeFileSync(join(dir, entry!), '{broken');
      expect((await parseTemplate(text, 'a.yaml')).parameters[0]!.value).toBe('one');
      expect((await parseTemplate(text.replace('one', 'two'), 'a.yaml')).parameters[0]!.value).toBe('two');
      expect(readdirSync(dir)).toHaveLength(2);
    } finally {
      if (previous === undefined) delete process.env.GSHIFT_CACHE_DIR;
      else process.env.GSHIFT_CACHE_DIR = previous;
    }
  });
});
