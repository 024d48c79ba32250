import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {applyApp} from '../../../src/app/apply.js';
import {renderDesired, storableInputs} from '../../../src/app/desired.js';
import {keptGeneratedValues, secretValues} from '../../../src/app/secret-values.js';
import {maskSecretValues} from '../../../src/core/secret-masking.js';
import type {Session} from '../../../src/core/session.js';
import type {Cluster, KubeObject, ObjectRef} from '../../../src/cluster/index.js';
import {loadConfig} from '../../../src/config/load.js';
import type {ResolvedParameter} from '../../../src/render/parameters.js';
import {TEAM_STACKS} from '../../support/team-project.ts';

const NAMESPACE = 'shop-dev';
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const generated = (name: string, value: string): ResolvedParameter => ({name, value, source: 'generated', required: true});
/** A session on a cluster holding these objects, with the team's stacks (test/fixtures/team-project): wiki generates its admin password. */
async function teamSession(objects: KubeObject[]): Promise<Session> {
  const {values} = await loadConfig(mkdtempSync(join(tmpdir(), 'gshift-secret-')), {});
  return {cluster: clusterWith(objects).cluster, target: {namespace: NAMESPACE, source: 'flag --namespace'}, config: {values: {...values, templateDirs: [TEAM_STACKS]}} as Session['config']};
}

/** A Secret as the server returns it: values base64-encoded under data, labelled for the app. */
const stored = (name: string, values: Record<string, string>, app = 'db'): KubeObject =>
  ({apiVersion: 'v1', kind: 'Secret', metadata: {name, namespace: NAMESPACE, labels: {'gshift.io/app': app}}, data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, encode(value)]))}) as KubeObject;

function clusterWith(objects: KubeObject[]) {
  const store = new Map(objects.map((object) => [`${object.kind}/${object.metadata.name}`, object]));
  const applied: KubeObject[] = [];
  return {
    applied,
    cluster: {
      get: async (ref: ObjectRef) => store.get(`${ref.kind}/${ref.name}`),
      list: async () => ({items: [], resourceVersion: '1'}),
      discovery: async () => ({groupVersions: () => ['v1'], hasKind: () => true}),
      apply: async (items: KubeObject[]) => items.map((object) => {
        applied.push(object);
        return {ref: {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!}, action: 'created', object: {...object, data: {password: encode('hunter2')}}, warnings: []};
      }),
      delete: async () => true,
      patch: async () => undefined,
    } as unknown as Cluster,
  };
}

describe("a stack's generated secrets", () => {
  it('reads data (base64) and stringData (plain, winning) alike', () => {
    expect(secretValues({...stored('db', {user: 'a', password: 'b'}), stringData: {password: 'c'}} as KubeObject)).toEqual({user: 'a', password: 'c'});
  });

  it('takes a generated value back from the Secret the first render wrote, by the key that holds it', async () => {
    const rendered = [{apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db'}, stringData: {'database-user': 'usernew1', 'database-password': 'newpass', 'database-name': 'app'}} as KubeObject];
    const {cluster} = clusterWith([stored('db', {'database-user': 'userold1', 'database-password': 'oldpass', 'database-name': 'app'})]);
    const parameters = [generated('DATABASE_USER', 'usernew1'), generated('DATABASE_PASSWORD', 'newpass'), {name: 'DATABASE_NAME', value: 'app', source: 'default', required: true} as ResolvedParameter];
    expect(await keptGeneratedValues(cluster, NAMESPACE, 'db', rendered, parameters)).toEqual({DATABASE_USER: 'userold1', DATABASE_PASSWORD: 'oldpass'});
  });

  it("generates afresh for a new app, and never takes values from a Secret that is not the app's", async () => {
    const rendered = [{apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db'}, stringData: {'database-password': 'newpass'}} as KubeObject];
    const parameters = [generated('DATABASE_PASSWORD', 'newpass')];
    expect(await keptGeneratedValues(clusterWith([]).cluster, NAMESPACE, 'db', rendered, parameters)).toEqual({});
    expect(await keptGeneratedValues(clusterWith([stored('db', {'database-password': 'theirs'}, 'other')]).cluster, NAMESPACE, 'db', rendered, parameters)).toEqual({});
  });

  it('renders an existing app with the password its template generated the first time, so a re-run changes nothing', async () => {
    const secretOf = (objects: KubeObject[]) => secretValues(objects.find((object) => object.kind === 'Secret')!);

    const first = await renderDesired(await teamSession([]), 'db', {stack: 'wiki'}, {platform: 'kubernetes'});
    const again = await renderDesired(await teamSession([]), 'db', {stack: 'wiki'}, {platform: 'kubernetes'});
    expect(secretOf(again.objects)['admin-password']).not.toBe(secretOf(first.objects)['admin-password']);

    const written = stored('db', secretOf(first.objects));
    const rerun = await renderDesired(await teamSession([written]), 'db', {stack: 'wiki'}, {platform: 'kubernetes'});
    expect(secretOf(rerun.objects)).toEqual(secretOf(first.objects));
    expect(JSON.stringify(rerun.objects)).toBe(JSON.stringify(first.objects));
  });
});

describe('credentials given as --param', () => {
  it('are not recorded on the parent ConfigMap, and a later render without them keeps them from the Secret', async () => {
    const given = {stack: 'wiki', params: {ADMIN_PASSWORD: 'mine', ADMIN_USER: 'editor'}};
    const first = await renderDesired(await teamSession([]), 'db', given, {platform: 'kubernetes'});
    expect(first.generatedParameters).toEqual(['ADMIN_PASSWORD']);
    expect(storableInputs(given, first)).toEqual({stack: 'wiki', params: {ADMIN_USER: 'editor'}});
    expect(storableInputs({stack: 'wiki', params: {ADMIN_PASSWORD: 'mine'}}, first)).toEqual({stack: 'wiki'});

    const written = stored('db', secretValues(first.objects.find((object) => object.kind === 'Secret')!));
    const later = await renderDesired(await teamSession([written]), 'db', storableInputs(given, first), {platform: 'kubernetes'});
    expect(secretValues(later.objects.find((object) => object.kind === 'Secret')!)).toMatchObject({'admin-password': 'mine', 'admin-user': 'editor'});
    expect(JSON.stringify(later.objects)).toBe(JSON.stringify(first.objects));
  });
});

describe('printing secrets', () => {
  it('masks every value of a Secret and leaves other kinds alone', () => {
    const secret = {...stored('db', {password: 'hunter2'}), stringData: {token: 'abc'}} as KubeObject;
    expect(maskSecretValues(secret)).toMatchObject({data: {password: '••••'}, stringData: {token: '••••'}});
    expect(secret).toMatchObject({stringData: {token: 'abc'}});
    const configMap = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'web-env'}, data: {LOG: 'debug'}} as KubeObject;
    expect(maskSecretValues(configMap)).toBe(configMap);
  });

  it('reports applied Secrets without their values, while applying them in full', async () => {
    const {cluster, applied} = clusterWith([]);
    const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db'}, stringData: {password: 'hunter2'}} as KubeObject;
    const result = await applyApp(cluster, {app: 'db', namespace: NAMESPACE, objects: [secret], inputs: {stack: 'wiki'}, tooling: 'gshift/v0'});
    expect(applied.filter((object) => object.kind === 'Secret').map((object) => (object as {stringData?: object}).stringData)).toEqual([{password: 'hunter2'}]);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain(encode('hunter2'));
  });
});
