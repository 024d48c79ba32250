// `gshift db` against real servers (test/cluster/databases/): for each engine, the credentials gshift
// generated log in through `db connect --port-forward-only` and a row written through it is read
// back; a backup, a drop of the data and a restore bring the row back; a rotated password works
// and the old one does not; delete keeps the claim and the credentials, --purge-data removes them.
import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {readHarnessState} from '../cluster/databases/control.ts';
import {runCli} from '../support/cli.ts';
import {envelope, gshift, output, startGshift, type CliResult} from './app-cli.ts';
import {databaseServers, kubectlJson, kubectlResult, mariadb, newNamespace, psql, redisCli, waitUntil, type ClientResult, type Login, type TestNamespace} from './support/index.ts';

const TIMEOUT = 180_000;
let ns: TestNamespace;
const dumps = mkdtempSync(join(tmpdir(), 'gshift-db-dumps-'));
const db = (...args: string[]) => gshift(ns, ['db', ...args, '-n', ns.name]);
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const expectClient = (run: ClientResult) => expect(run.code === 0 ? 0 : `exit ${run.code}: ${run.stderr}`).toBe(0);
const secretValue = (secret: any, key: string) => Buffer.from(secret.data[key], 'base64').toString('utf8');

/** `db connect NAME --port-forward-only` in the background: the port it printed, and a stop that sends Ctrl-C. */
async function tunnel(name: string) {
  const run = startGshift(ns, ['db', 'connect', name, '--port-forward-only', '-n', ns.name]);
  const deadline = Date.now() + 30_000;
  let port: number | undefined;
  while (port === undefined) {
    const match = /^127\.0\.0\.1:(\d+)$/m.exec(run.output().stdout);
    if (match) port = Number(match[1]);
    else if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`db connect printed no address:\n${run.output().stdout}\n${run.output().stderr}`);
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    stop: async () => {
      run.child.kill('SIGINT');
      return run.exited;
    },
  };
}

async function login(name: string, port: number): Promise<Login> {
  const secret = await kubectlJson(['get', 'secret', name], {namespace: ns.name});
  return {port, username: secretValue(secret, 'username'), password: secretValue(secret, 'password'), ...(secret.data.dbname ? {dbname: secretValue(secret, 'dbname')} : {})};
}

/** How each engine writes, reads and drops the test's row. */
const ENGINES = {
  postgresql: {
    write: (to: Login) => psql(to, "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'teapot');"),
    read: (from: Login) => psql(from, 'SELECT item FROM orders WHERE id = 1;'),
    drop: (from: Login) => psql(from, 'DROP TABLE orders;'),
  },
  mariadb: {
    write: (to: Login) => mariadb(to, "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'teapot');"),
    read: (from: Login) => mariadb(from, 'SELECT item FROM orders WHERE id = 1;'),
    drop: (from: Login) => mariadb(from, 'DROP TABLE orders;'),
  },
  redis: {
    write: (to: Login) => redisCli(to, 'SET', 'order:1', 'teapot'),
    read: (from: Login) => redisCli(from, 'GET', 'order:1'),
    drop: (from: Login) => redisCli(from, 'FLUSHALL'),
  },
};
const CASES: Array<[engine: string, name: string, rows: keyof typeof ENGINES]> = [
  ['postgresql', 'pg', 'postgresql'],
  ['mariadb', 'maria', 'mariadb'],
  // The harness serves MySQL pods with MariaDB: the protocol and the clients are the same.
  ['mysql', 'my', 'mariadb'],
  ['redis', 'cache', 'redis'],
];

beforeAll(async () => {
  await databaseServers();
  ns = await newNamespace('db-engines', {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}});
}, 600_000);

afterAll(() => rmSync(dumps, {recursive: true, force: true}));

/** Runs `body` with a tunnel to the database and the login its Secret holds. */
async function through<T>(name: string, body: (login: Login) => Promise<T>): Promise<T> {
  const forward = await tunnel(name);
  try {
    return await body(await login(name, forward.port));
  } finally {
    await forward.stop();
  }
}

describe.each(CASES)('gshift db with %s', (engine, name, rows) => {
  const {write, read, drop} = ENGINES[rows];

  test(
    'the generated credentials log in through db connect --port-forward-only, and a row written through it reads back',
    async () => {
      expectSuccess(db('create', name, '--engine', engine, '--timeout', '90s'));
      const forward = await tunnel(name);
      try {
        const credentials = await login(name, forward.port);
        expectClient(await write(credentials));
        const back = await read(credentials);
        expectClient(back);
        expect(back.stdout.trim()).toBe('teapot');
        const wrong = await read({...credentials, password: 'not-the-password'});
        expect(wrong.code === 0 && wrong.stdout.trim() === 'teapot').toBe(false);
      } finally {
        const stopped = await forward.stop();
        expect(stopped.status).toBe(130);
        expect(stopped.stderr).not.toContain('Error');
      }
    },
    TIMEOUT,
  );

  test(
    'a backup streamed from the pod, a drop of the data, and a restore bring the row back',
    async () => {
      const file = join(dumps, `${name}.dump`);
      const backup = db('backup', name, '--to', file, '--json');
      expectSuccess(backup);
      const result = envelope(backup).result;
      expect(result).toMatchObject({database: name, engine, file, pod: `${name}-0`});
      const bytes = readFileSync(file);
      expect(result.bytes).toBe(bytes.length);
      expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

      await through(name, async (credentials) => {
        expectClient(await drop(credentials));
        expect((await read(credentials)).stdout.trim()).not.toBe('teapot');
      });
      const refused = db('restore', name, '--from', file);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('there is no terminal to ask on');
      expectSuccess(db('restore', name, '--from', file, '--yes'));
      await through(name, async (credentials) => {
        const back = await read(credentials);
        expectClient(back);
        expect(back.stdout.trim()).toBe('teapot');
      });
    },
    TIMEOUT,
  );
});

describe('gshift db restore refuses what is not a dump of the engine', () => {
  test(
    'a MariaDB dump into PostgreSQL, a PostgreSQL dump into Redis, a text file: exit 2, nothing restored',
    async () => {
      const notes = join(dumps, 'notes.txt');
      writeFileSync(notes, 'shopping list\n');
      for (const [database, file, says] of [
        ['pg', join(dumps, 'maria.dump'), 'is a MariaDB/MySQL dump, not a dump of postgresql database pg.'],
        ['cache', join(dumps, 'pg.dump'), 'is a PostgreSQL custom-format dump (pg_dump -Fc), not a dump of redis database cache.'],
        ['maria', notes, 'is not a dump of mariadb database maria: gshift does not recognise its format.'],
      ] as const) {
        const run = db('restore', database, '--from', file, '--yes');
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(says);
      }
      await through('pg', async (credentials) => expect((await ENGINES.postgresql.read(credentials)).stdout.trim()).toBe('teapot'));
    },
    TIMEOUT,
  );

  test(
    '--into restores into a new database with the same engine, and leaves the source as it was',
    async () => {
      const run = db('restore', 'pg', '--from', join(dumps, 'pg.dump'), '--into', 'pg-copy', '--timeout', '90s', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({database: 'pg-copy', into: 'pg-copy', engine: 'postgresql', restored: true});
      expect(envelope(db('info', 'pg-copy', '--json')).result).toMatchObject({engine: 'postgresql', version: '16', ready: true});
      await through('pg-copy', async (credentials) => expect((await ENGINES.postgresql.read(credentials)).stdout.trim()).toBe('teapot'));
      const again = db('restore', 'pg', '--from', join(dumps, 'pg.dump'), '--into', 'pg-copy');
      expect(again.status).toBe(7);
    },
    TIMEOUT,
  );
});

describe('gshift db backup --schedule', () => {
  test(
    'renders a CronJob writing dumps to a backups volume, listed by db backups and kept by a later db create',
    async () => {
      const bad = db('backup', 'pg', '--schedule', '0 25 * * *');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('"25" is not a valid hour');
      expectSuccess(db('backup', 'pg', '--schedule', '0 2 * * *', '--keep', '3'));
      const cronJob = await kubectlJson(['get', 'cronjob', 'pg-backup'], {namespace: ns.name});
      expect(cronJob.spec.schedule).toBe('0 2 * * *');
      const pod = cronJob.spec.jobTemplate.spec.template.spec;
      expect(pod.volumes).toContainEqual({name: 'backups', persistentVolumeClaim: {claimName: 'pg-backups'}});
      expect(pod.containers[0].env).toContainEqual({name: 'PGPASSWORD', valueFrom: {secretKeyRef: {name: 'pg', key: 'password'}}});
      expect(pod.containers[0].command[2]).toContain('tail -n +4');
      expect((await kubectlJson(['get', 'pvc', 'pg-backups'], {namespace: ns.name})).status.phase).toBe('Bound');
      const listed = envelope(db('backups', 'pg', '--json')).result;
      expect(listed.schedules).toEqual([{name: 'pg-backup', kind: 'CronJob', schedule: '0 2 * * *', keep: 3, suspended: false}]);
      const again = db('create', 'pg', '--engine', 'postgresql', '--timeout', '60s');
      expectSuccess(again);
      expect(again.stdout).toContain('No changes');
      expect((await kubectlJson(['get', 'cronjob', 'pg-backup'], {namespace: ns.name})).spec.schedule).toBe('0 2 * * *');
    },
    TIMEOUT,
  );
});

describe('gshift db connect with the client', () => {
  test(
    'runs psql through the tunnel with the password in its environment (what it reads on stdin runs on the server)',
    async () => {
      const run = runCli(['db', 'connect', 'pg', '-n', ns.name], {env: {KUBECONFIG: ns.kubeconfig, CI: '1'}, input: "SELECT item || '!' FROM orders WHERE id = 1;\n"});
      expect(run.status === 0 ? 0 : output(run)).toBe(0);
      expect(run.stdout).toContain('teapot!');
      expect(run.stdout + run.stderr).not.toContain((await login('pg', 0)).password);
    },
    TIMEOUT,
  );

  test(
    'says what to install when the client is not on PATH (exit 2), before opening anything',
    async () => {
      const run = runCli(['db', 'connect', 'cache', '-n', ns.name], {env: {KUBECONFIG: ns.kubeconfig, CI: '1', PATH: '/nonexistent'}});
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('gshift needs redis-cli to connect to a redis database, and it is not on your PATH.');
      expect(run.stderr).toContain('--port-forward-only');
    },
    TIMEOUT,
  );
});

describe('secrets stay out of every output unless --reveal', () => {
  test(
    'connect, backup, backups, restore (also failing), info and create print no password, with --json and --debug too',
    async () => {
      const {password} = await login('maria', 0);
      const secret = await kubectlJson(['get', 'secret', 'maria'], {namespace: ns.name});
      const root = secretValue(secret, 'root-password');
      const runs = [
        db('backup', 'maria', '--to', join(dumps, 'maria-again.sql'), '--json', '--debug'),
        db('backups', 'maria', '--json', '--debug'),
        db('info', 'maria', '--json', '--debug'),
        db('credentials', 'maria', '--debug'),
        db('create', 'maria', '--engine', 'mariadb', '--debug', '--timeout', '60s'),
        db('create', 'maria', '--engine', 'mariadb', '--dry-run=server', '--json', '--debug'),
        db('restore', 'maria', '--from', join(dumps, 'pg.dump'), '--yes', '--debug'),
        db('restore', 'maria', '--from', join(dumps, 'maria.dump'), '--yes', '--json', '--debug'),
      ];
      for (const run of runs) {
        expect(run.stdout + run.stderr).not.toContain(password);
        expect(run.stdout + run.stderr).not.toContain(root);
      }
      expect(runs[6]!.status).toBe(2);
      expectSuccess(runs[7]!);
      const forward = await tunnel('maria');
      const stopped = await forward.stop();
      expect(stopped.stdout + stopped.stderr).not.toContain(password);
      expect(envelope(db('credentials', 'maria', '--reveal', '--json')).result.values.password).toBe(password);
    },
    TIMEOUT,
  );
});

describe.each(CASES)('gshift db credentials --rotate with %s', (engine, name, rows) => {
  test(
    'a new password on the server and in the Secret: it logs in, the old one is refused, and the row is still there',
    async () => {
      const before = await login(name, 0);
      const run = db('credentials', name, '--rotate', '--json');
      expectSuccess(run);
      expect(envelope(run).result).toMatchObject({database: name, rotated: true, loginChecked: true, oldPasswordRefused: true});
      const after = await login(name, 0);
      expect(after.password).not.toBe(before.password);
      expect(run.stdout + run.stderr).not.toContain(after.password);
      const secret = await kubectlJson(['get', 'secret', name], {namespace: ns.name});
      expect(secretValue(secret, 'uri')).toContain(`:${after.password}@`);
      await through(name, async (credentials) => {
        expect((await ENGINES[rows].read(credentials)).stdout.trim()).toBe('teapot');
        const old = await ENGINES[rows].read({...credentials, password: before.password});
        expect(old.code === 0 && old.stdout.trim() === 'teapot').toBe(false);
      });
    },
    TIMEOUT,
  );
});

describe('gshift db credentials --rotate with an attached app', () => {
  test(
    'restarts the app, which reads the new password from the Secret (no literal password in its Deployment)',
    async () => {
      expectSuccess(gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '-n', ns.name, '--timeout', '60s']));
      expectSuccess(db('attach', 'pg', '--app', 'web', '--timeout', '60s'));
      const before = await kubectlJson(['get', 'deployment', 'web'], {namespace: ns.name});
      const run = db('credentials', 'pg', '--rotate', '--timeout', '60s');
      expectSuccess(run);
      expect(run.stderr).toMatch(/Rolled out web/);
      const after = await kubectlJson(['get', 'deployment', 'web'], {namespace: ns.name});
      expect(after.metadata.generation).toBeGreaterThan(before.metadata.generation);
      expect(JSON.stringify(after)).not.toContain((await login('pg', 0)).password);
    },
    TIMEOUT,
  );
});

describe.each(CASES)('gshift db delete with %s', (engine, name, rows) => {
  test(
    'keeps the volume claim and the credentials, so a new create goes on with the data; --purge-data removes them',
    async () => {
      const password = (await login(name, 0)).password;
      const attached = name === 'pg' ? db('delete', name, '--yes') : undefined;
      if (attached) {
        expect(attached.status).toBe(7);
        expect(attached.stderr).toContain(`Database ${name} is attached to app web`);
        expect((await kubectlJson(['get', 'statefulset', name], {namespace: ns.name})).metadata.name).toBe(name);
      }
      const deleted = db('delete', name, '--yes', ...(attached ? ['--force'] : []), '--timeout', '60s', '--json');
      expectSuccess(deleted);
      expect(envelope(deleted).result.keep.map((ref: any) => `${ref.kind}/${ref.name}`).sort()).toEqual(expect.arrayContaining([`PersistentVolumeClaim/data-${name}-0`, `Secret/${name}`]));
      expect((await kubectlResult(['get', 'statefulset', name], {namespace: ns.name})).code).not.toBe(0);
      expect((await kubectlJson(['get', 'pvc', `data-${name}-0`], {namespace: ns.name})).status.phase).toBe('Bound');
      expect(envelope(db('list', '--json')).result.databases.map((entry: any) => entry.name)).not.toContain(name);

      expectSuccess(db('create', name, '--engine', engine, '--timeout', '90s'));
      expect((await login(name, 0)).password).toBe(password);
      await through(name, async (credentials) => expect((await ENGINES[rows].read(credentials)).stdout.trim()).toBe('teapot'));

      expectSuccess(db('delete', name, '--purge-data', '--yes'));
      await waitUntil(async () => (await kubectlResult(['get', 'pvc', `data-${name}-0`], {namespace: ns.name})).code !== 0, {timeoutMs: 60_000, description: `claim data-${name}-0 to go`});
      if (engine === 'redis') {
        // The harness's Redis for that volume goes with it (the harness starts one per volume).
        const served = readHarnessState()?.pods[`${ns.name}/${name}-0`];
        expect(served?.engine).toBe('redis');
        await waitUntil(async () => !readHarnessState()?.servers.some((server) => server.port === served?.port), {timeoutMs: 30_000, description: `the Redis on port ${served?.port} to stop`});
      }
      expect((await kubectlResult(['get', 'secret', name], {namespace: ns.name})).code).not.toBe(0);
      const none = db('delete', name, '--yes');
      expectSuccess(none);
      expect(none.stdout).toContain(`No changes: there is no database ${name}`);
    },
    TIMEOUT,
  );
});
