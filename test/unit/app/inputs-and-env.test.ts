import {describe, expect, it} from '@jest/globals';

import {mergeInputs} from '../../../src/app/create.js';
import {MASK} from '../../../src/core/secret-masking.js';
import {envSecret, parseAssignments, planSet, planUnset, withSecretEnvironment} from '../../../src/app/env.js';
import {canonicalInputs, readStoredInputs} from '../../../src/app/stored-inputs.js';
import type {KubeObject} from '../../../src/cluster/index.js';

describe('re-running create', () => {
  const previous = {stack: 'nodejs', image: 'quay.io/shop/web:2', envVars: {LOG: 'debug'}, params: {CPU_LIMIT: '2'}, host: 'web.example.org', secretEnv: '42'};

  it('keeps the image, environment and secrets that deploy and env set gave the app when the flags leave them out', () => {
    expect(mergeInputs({name: 'web', stack: 'nodejs'}, previous)).toEqual({stack: 'nodejs', image: 'quay.io/shop/web:2', envVars: {LOG: 'debug'}, secretEnv: '42'});
  });

  it('replaces what the flags say, so a host or parameter left out is dropped and its objects pruned', () => {
    const merged = mergeInputs({name: 'web', stack: 'nodejs', image: 'quay.io/shop/web:3', envVar: ['LOG=info'], param: ['CPU_LIMIT=1']}, previous);
    expect(merged).toEqual({stack: 'nodejs', image: 'quay.io/shop/web:3', envVars: {LOG: 'info'}, params: {CPU_LIMIT: '1'}, secretEnv: '42'});
  });

  it('records equal inputs as equal JSON whatever order the flags came in', () => {
    const a = canonicalInputs({stack: 's', envVars: {B: '2', A: '1'}});
    const b = canonicalInputs({envVars: {A: '1', B: '2'}, stack: 's'} as never);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(canonicalInputs({stack: 's', envVars: {}})).toEqual({stack: 's'});
  });

  it('reads stored inputs defensively: wrong types are left out, no stack means none', () => {
    expect(readStoredInputs({inputs: {stack: 'nodejs', port: '80', replicas: 2, envVars: {A: 1}}})).toEqual({stack: 'nodejs', replicas: 2});
    expect(readStoredInputs({inputs: {image: 'x'}})).toBeUndefined();
    expect(readStoredInputs(undefined)).toBeUndefined();
  });
});

describe('app env', () => {
  const stored = {stack: 'nodejs', envVars: {LOG: 'debug', MODE: 'a'}};

  it('sets plain values in the inputs and reports only the keys that changed', () => {
    const change = planSet(stored, {}, {LOG: 'debug', NEW: 'x'}, false);
    expect(change.inputs.envVars).toEqual({LOG: 'debug', MODE: 'a', NEW: 'x'});
    expect(change.changedKeys).toEqual(['NEW']);
    expect(change.secrets).toBeUndefined();
  });

  it('moves a key to the Secret when it is set as a secret, and never keeps secret values in the inputs', () => {
    const change = planSet(stored, {}, {MODE: 'b'}, true);
    expect(change.inputs.envVars).toEqual({LOG: 'debug'});
    expect(change.secrets).toEqual({MODE: 'b'});
    expect(JSON.stringify(change.inputs)).not.toContain('"b"');
  });

  it('changes nothing when the values are already so', () => {
    expect(planSet(stored, {PASS: 'p'}, {PASS: 'p'}, true).changedKeys).toEqual([]);
    expect(planUnset(stored, {}, ['ABSENT']).changedKeys).toEqual([]);
  });

  it('unsets keys wherever they are', () => {
    const change = planUnset(stored, {PASS: 'p'}, ['LOG', 'PASS']);
    expect(change.inputs.envVars).toEqual({MODE: 'a'});
    expect(change.secrets).toEqual({});
    expect(change.changedKeys).toEqual(['LOG', 'PASS']);
  });

  it('rejects a set without assignments and an unset without names', () => {
    expect(() => parseAssignments([])).toThrow(/Nothing to set/);
    expect(() => planUnset(stored, {}, [])).toThrow(/Nothing to unset/);
  });

  it('names the argument, not --env-var, when an assignment to env set is malformed', () => {
    expect(() => parseAssignments(['LOG_LEVEL'])).toThrow('Argument "LOG_LEVEL" is not KEY=VALUE.');
    expect(() => parseAssignments(['1X=2'])).toThrow(/^Argument 1X is not a valid variable name/);
    expect(() => parseAssignments(['A=1', 'A=2'])).toThrow('Argument A was given more than once.');
    expect(parseAssignments(['URL=http://x?a=b'])).toEqual({URL: 'http://x?a=b'});
  });

  it('adds the Secret to the main container after the ConfigMap, and its version to the pod template so a change rolls the pods', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'web'},
      spec: {template: {metadata: {}, spec: {containers: [{name: 'web', envFrom: [{configMapRef: {name: 'web-env'}}]}]}}},
    };
    const [changed] = withSecretEnvironment([deployment], 'web', '123') as any[];
    expect(changed.spec.template.spec.containers[0].envFrom).toEqual([{configMapRef: {name: 'web-env'}}, {secretRef: {name: 'web-env-secret', optional: true}}]);
    expect(changed.spec.template.metadata.annotations).toEqual({'gshift.io/secret-env-version': '123'});
    expect((deployment.spec as any).template.spec.containers[0].envFrom).toHaveLength(1);
  });

  it('writes secret values base64-encoded under data, labelled for the app but not part of its ApplySet', () => {
    const secret = envSecret('web', 'shop-dev', {PASS: 'hunter2'}) as any;
    expect(secret.data).toEqual({PASS: Buffer.from('hunter2').toString('base64')});
    expect(secret.metadata.labels).toEqual({'gshift.io/app': 'web', 'app.kubernetes.io/managed-by': 'gshift'});
    expect(MASK).toBe('••••');
  });
});

describe("gshift scale's setting in the stored inputs", () => {
  it('is read back as an autoscaler or as false, and kept by a re-run of create with the count', () => {
    expect(readStoredInputs({inputs: {stack: 'nodejs', replicas: 3, autoscale: false}})).toEqual({stack: 'nodejs', replicas: 3, autoscale: false});
    expect(readStoredInputs({inputs: {stack: 'nodejs', autoscale: {min: 2, max: 6, cpu: 70, extra: 1}}})).toEqual({stack: 'nodejs', autoscale: {min: 2, max: 6, cpu: 70}});
    expect(readStoredInputs({inputs: {stack: 'nodejs', autoscale: {min: '2', max: 6}}})).toEqual({stack: 'nodejs'});
    expect(mergeInputs({name: 'web', stack: 'nodejs'}, {stack: 'nodejs', replicas: 4, autoscale: false})).toEqual({stack: 'nodejs', replicas: 4, autoscale: false});
    expect(mergeInputs({name: 'web', stack: 'nodejs', replicas: 2}, {stack: 'nodejs', replicas: 4})).toEqual({stack: 'nodejs', replicas: 2});
  });
});
