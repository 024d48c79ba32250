// `app create --dry-run` and the real `app create` resolve tenant, environment and namespace in
// one place, so the manifests a dry run prints are what the real create applies: for a dev and
// a prod namespace of a tenant, every object printed is on the cluster as printed (the server
// adds its own fields, and gshift its ApplySet labels, nothing else differs).
import {randomBytes} from 'node:crypto';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import type {KubeObject} from '../../src/cluster/index.ts';
import {envelope, gshift, output} from './app-cli.ts';
import {TEST_KUBECONFIG, kubectlJson, kubectlResult} from './support/index.ts';

const TIMEOUT = 120_000;
const tenant = `parity-${randomBytes(3).toString('hex')}`;
const cluster = {kubeconfig: TEST_KUBECONFIG};

beforeAll(() => {
  const created = gshift(cluster, ['tenant', 'create', tenant, '--envs', 'dev,prod', '--developers', `${tenant}-devs`]);
  if (created.status !== 0) throw new Error(`tenant create failed: ${output(created)}`);
}, TIMEOUT);

afterAll(async () => {
  for (const env of ['dev', 'prod']) await kubectlResult(['delete', 'namespace', `${tenant}-${env}`, '--wait=false', '--ignore-not-found']);
});

describe.each([
  {env: 'dev', ha: false},
  {env: 'prod', ha: true},
])('app create in $env', ({env, ha}) => {
  test(
    'applies exactly what the dry run printed',
    async () => {
      const namespace = `${tenant}-${env}`;
      const dryRun = gshift(cluster, ['app', 'create', 'hello', '--stack', 'nodejs', '--dry-run', '-n', namespace, '-o', 'json']);
      expect(dryRun.status).toBe(0);
      const printed = (JSON.parse(dryRun.stdout) as {items: KubeObject[]}).items;
      const kinds = printed.map((object) => object.kind);
      expect(kinds.includes('HorizontalPodAutoscaler')).toBe(ha);
      expect(kinds.includes('PodDisruptionBudget')).toBe(ha);
      for (const object of printed) expect(object.metadata.labels?.['gshift.io/env']).toBe(env);

      const created = gshift(cluster, ['app', 'create', 'hello', '--stack', 'nodejs', '-n', namespace, '--no-wait', '--json']);
      expect(created.status).toBe(0);
      const applied = envelope(created).result.outcomes.map((outcome: {ref: {kind: string; name: string}}) => `${outcome.ref.kind}/${outcome.ref.name}`);
      expect(applied.sort()).toEqual(printed.map((object) => `${object.kind}/${object.metadata.name}`).sort());
      for (const object of printed) {
        const live = await kubectlJson<KubeObject>(['get', `${object.kind}.${object.apiVersion.split('/').reverse().slice(1).join('.') || ''}`.replace(/\.$/, ''), object.metadata.name!, '-n', namespace]);
        expect(live).toMatchObject(object as Record<string, unknown>);
      }
    },
    TIMEOUT,
  );
});
