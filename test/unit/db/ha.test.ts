import {describe, expect, it} from '@jest/globals';

import type {Discovery} from '../../../src/cluster/index.js';
import {ENGINES} from '../../../src/db/engines.js';
import {clusterState, HEALTHY_PHASE, requireCnpg} from '../../../src/db/ha.js';
import {renderDatabase} from '../../../src/db/render.js';

type Json = Record<string, any>;
const served = (kinds: string[]) => ({discovery: async () => ({hasKind: (apiVersion: string, kind: string) => kinds.includes(`${apiVersion}/${kind}`)}) as unknown as Discovery});

describe('db create --ha', () => {
  it('needs the CloudNativePG API, naming the operator when it is not served (exit 2)', async () => {
    await expect(requireCnpg(served([]), 'postgresql')).rejects.toMatchObject({exitCode: 2, hint: expect.stringContaining('CloudNativePG operator')});
    await expect(requireCnpg(served(['postgresql.cnpg.io/v1/Cluster']), 'postgresql')).resolves.toBeUndefined();
    await expect(requireCnpg(served(['postgresql.cnpg.io/v1/Cluster']), 'redis')).rejects.toThrow('--ha is for postgresql only');
  });

  it('renders a Cluster and its owner Secret instead of a StatefulSet, two instances outside the HA environments', async () => {
    const objects = await renderDatabase({name: 'orders', namespace: 'shop-dev', engine: ENGINES.postgresql, version: '15', env: 'dev', platform: 'openshift', haEnvironments: ['acc', 'prod'], credentials: {username: 'orders', password: 'pw', dbname: 'orders'}, ha: true, storageClass: 'fast', registry: 'mirror.example.com'});
    expect(objects.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual(['Secret/orders-owner', 'Cluster/orders']);
    const cluster = objects[1] as Json;
    expect(cluster.spec).toMatchObject({instances: 2, imageName: 'mirror.example.com/cloudnative-pg/postgresql:15', storage: {size: '1Gi', storageClass: 'fast'}});
    expect(cluster.metadata.labels['gshift.io/db']).toBe('orders');
  });

  it('reads a Cluster as ready only when healthy, Ready, all instances ready and the primary is where it should be', () => {
    const cluster = (status: Json) => ({apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: {name: 'orders'}, spec: {instances: 3}, status});
    const ready = {phase: HEALTHY_PHASE, readyInstances: 3, currentPrimary: 'orders-1', targetPrimary: 'orders-1', conditions: [{type: 'Ready', status: 'True'}]};
    expect(clusterState(cluster(ready)).ready).toBe(true);
    expect(clusterState(cluster({...ready, phase: 'Setting up primary'})).ready).toBe(false);
    expect(clusterState(cluster({...ready, readyInstances: 2})).ready).toBe(false);
    expect(clusterState(cluster({...ready, targetPrimary: 'orders-2'})).ready).toBe(false);
    expect(clusterState(cluster({...ready, conditions: [{type: 'Ready', status: 'False'}]})).ready).toBe(false);
    expect(clusterState(undefined)).toEqual({instances: 0, readyInstances: 0, ready: false});
  });
});
