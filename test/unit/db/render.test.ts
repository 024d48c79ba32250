import {describe, expect, it} from '@jest/globals';

import type {KubeObject} from '../../../src/cluster/index.js';
import {credentialsFromSecret, newCredentials, secretData} from '../../../src/db/credentials.js';
import {ENGINES, chooseVersion, findEngine} from '../../../src/db/engines.js';
import {checkDbFlags, mergeDbInputs} from '../../../src/db/inputs.js';
import {DB_LABEL, renderDatabase, type DbRenderInput} from '../../../src/db/render.js';

type Json = Record<string, any>;
const config = {environments: ['dev', 'test', 'acc', 'prod']};
const input = (overrides: Partial<DbRenderInput> = {}): DbRenderInput => ({
  name: 'orders',
  namespace: 'shop-dev',
  engine: ENGINES.postgresql,
  version: '16',
  env: 'dev',
  tenant: 'shop',
  platform: 'openshift',
  haEnvironments: ['prod'],
  credentials: {username: 'orders', password: 'p4ssw0rdp4ssw0rdp4ssw0rdp4ssw0rd', dbname: 'orders'},
  ...overrides,
});
const byKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind) as Json[];

describe('db create: the render', () => {
  it('renders one StatefulSet replica whose volume comes from a volumeClaimTemplate, not a shared claim', async () => {
    const objects = await renderDatabase(input({size: '10Gi', storageClass: 'fast'}));
    expect(byKind(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(byKind(objects, 'Deployment')).toEqual([]);
    const [set] = byKind(objects, 'StatefulSet');
    expect(set!.spec.replicas).toBe(1);
    expect(set!.spec.serviceName).toBe('orders-headless');
    expect(set!.spec.volumeClaimTemplates).toEqual([expect.objectContaining({metadata: expect.objectContaining({name: 'data'}), spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '10Gi'}}, storageClassName: 'fast'}})]);
    const pod = set!.spec.template.spec;
    expect(pod.volumes.some((volume: Json) => volume.persistentVolumeClaim)).toBe(false);
    expect(pod.containers[0].volumeMounts).toContainEqual({name: 'data', mountPath: '/var/lib/pgsql/data'});
    expect(pod.securityContext).toMatchObject({runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}});
    expect(pod.containers[0].readinessProbe).toBeDefined();
    expect(pod.containers[0].resources.limits.memory).toBe('512Mi');
  });

  it('has a headless and a client Service, and a NetworkPolicy admitting only pods of its own namespace', async () => {
    const objects = await renderDatabase(input());
    const services = byKind(objects, 'Service');
    expect(services.map((service) => [service.metadata.name, service.spec.clusterIP ?? 'ClusterIP'])).toEqual([
      ['orders-headless', 'None'],
      ['orders', 'ClusterIP'],
    ]);
    const [policy] = byKind(objects, 'NetworkPolicy');
    expect(policy!.spec.ingress).toEqual([{from: [{podSelector: {}}], ports: [{port: 5432, protocol: 'TCP'}]}]);
    expect(policy!.spec.podSelector.matchLabels).toEqual({'app.kubernetes.io/name': 'postgresql', 'app.kubernetes.io/instance': 'orders'});
  });

  it('points the server at the Secret with CloudNativePG keys, and labels everything with the database, not an app', async () => {
    const objects = await renderDatabase(input());
    const [secret] = byKind(objects, 'Secret');
    expect(Object.keys(secret!.stringData)).toEqual(['host', 'port', 'username', 'password', 'dbname', 'uri', 'jdbc-uri']);
    expect(secret!.stringData.host).toBe('orders.shop-dev.svc');
    const env = byKind(objects, 'StatefulSet')[0]!.spec.template.spec.containers[0].env;
    expect(env.map((variable: Json) => variable.valueFrom.secretKeyRef)).toEqual([
      {name: 'orders', key: 'username'},
      {name: 'orders', key: 'password'},
      {name: 'orders', key: 'dbname'},
    ]);
    for (const object of objects) {
      expect(object.metadata.labels?.[DB_LABEL]).toBe('orders');
      expect(object.metadata.labels?.['gshift.io/app']).toBeUndefined();
    }
  });

  it('runs the image of the version asked for, and a high UID on plain Kubernetes', async () => {
    const objects = await renderDatabase(input({version: '15', platform: 'kubernetes'}));
    const pod = byKind(objects, 'StatefulSet')[0]!.spec.template.spec;
    expect(pod.containers[0].image).toBe('registry.redhat.io/rhel9/postgresql-15:9.7');
    expect(pod.securityContext.runAsUser).toBeGreaterThan(10000);
  });

  it('renders mariadb and redis from their stacks too', async () => {
    const maria = await renderDatabase(input({engine: ENGINES.mariadb, version: '10.11', credentials: newCredentials(ENGINES.mariadb, 'shop-db')}));
    expect(byKind(maria, 'Secret')[0]!.stringData.uri).toMatch(/^mysql:\/\/shop_db:[A-Za-z0-9]{32}@orders\.shop-dev\.svc:3306\/shop_db$/);
    const redis = await renderDatabase(input({engine: ENGINES.redis, version: '7', credentials: newCredentials(ENGINES.redis, 'cache')}));
    const secret = byKind(redis, 'Secret')[0]!;
    expect(secret.stringData['jdbc-uri']).toBeUndefined();
    expect(secret.stringData.dbname).toBeUndefined();
    expect(byKind(redis, 'StatefulSet')[0]!.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef).toEqual({name: 'orders', key: 'password'});
  });
});

describe('db create: credentials', () => {
  it('generates a different password for every database, from 62 characters, 32 long', () => {
    const passwords = new Set(Array.from({length: 50}, () => newCredentials(ENGINES.postgresql, 'orders').password));
    expect(passwords.size).toBe(50);
    for (const password of passwords) expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('writes uri and jdbc-uri from the same values, and reads back only a complete set', () => {
    const credentials = {username: 'orders', password: 'secret', dbname: 'orders'};
    const data = secretData(ENGINES.postgresql, credentials, 'orders.shop-dev.svc');
    expect(data).toMatchObject({uri: 'postgresql://orders:secret@orders.shop-dev.svc:5432/orders', 'jdbc-uri': 'jdbc:postgresql://orders.shop-dev.svc:5432/orders?user=orders&password=secret', port: '5432'});
    expect(credentialsFromSecret(ENGINES.postgresql, data)).toEqual(credentials);
    expect(credentialsFromSecret(ENGINES.postgresql, {username: 'orders'})).toBeUndefined();
  });

  it('makes SQL identifiers of database names', () => {
    expect(newCredentials(ENGINES.postgresql, 'shop-orders')).toMatchObject({username: 'shop_orders', dbname: 'shop_orders'});
    // PostgreSQL refuses role names starting with pg_ ("role name is reserved").
    expect(newCredentials(ENGINES.postgresql, 'pg-copy')).toMatchObject({username: 'db_pg_copy', dbname: 'db_pg_copy'});
    // MySQL takes user names of at most 32 characters.
    const long = newCredentials(ENGINES.mysql, 'a-very-long-database-name-for-the-shop');
    expect(long.username).toMatch(/^a_very_long_database_name_[0-9a-f]{6}$/);
    expect(long.username).toHaveLength(32);
  });
});

describe('db create: bad input', () => {
  it('lists the engines for an unknown one and the versions for an unknown version', () => {
    expect(() => findEngine('oracle')).toThrow(expect.objectContaining({code: 'USAGE', hint: 'pass --engine with one of: postgresql, mariadb, mysql, redis.'}));
    expect(() => chooseVersion(ENGINES.postgresql, '9')).toThrow(expect.objectContaining({code: 'USAGE', hint: 'pass --version with one of: 16, 15, 13.'}));
  });

  it('refuses a size that is not a storage size, and a name that is not a DNS label', () => {
    expect(() => checkDbFlags({name: 'orders', engine: 'postgresql', size: 'big'}, config)).toThrow('"big" is not a storage size.');
    expect(() => checkDbFlags({name: 'orders', engine: 'postgresql', size: '0'}, config)).toThrow('"0" is not a storage size.');
    expect(() => checkDbFlags({name: 'Orders_DB', engine: 'postgresql'}, config)).toThrow(/not a valid database name/);
  });

  it('keeps the version, size and class of the last create when a re-run leaves them out', () => {
    expect(mergeDbInputs({name: 'orders', engine: 'postgresql'}, {engine: 'postgresql', version: '15', size: '5Gi', storageClass: 'fast'})).toEqual({engine: 'postgresql', version: '15', size: '5Gi', storageClass: 'fast'});
    expect(mergeDbInputs({name: 'orders', engine: 'postgresql', size: '8Gi'}, undefined)).toEqual({engine: 'postgresql', version: '16', size: '8Gi'});
  });
});
