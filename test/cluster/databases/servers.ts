// The real database servers behind the simulated database pods, all on 127.0.0.1 and free
// ports, with their data in the harness's temporary directory: one PostgreSQL and one MariaDB
// (MySQL pods use it too: same protocol and clients) for the whole run, and one Redis per volume
// (a Redis server has one password, and each database pod brings its own).
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { findProgram, postgresBinDir } from './packages.ts';
import { asRoot, freePort, run, startServer, until } from './processes.ts';

export type ServerInfo = { engine: 'postgresql' | 'mariadb' | 'redis'; port: number; pid: number; dir: string };

/** SQL quoting for what the harness writes (values come from pods' environments). */
export const sqlLiteral = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
export const pgIdent = (value: string) => `"${value.replace(/"/g, '""')}"`;
export const myIdent = (value: string) => `\`${value.replace(/`/g, '``')}\``;
export const pgLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A server that never answered is not left running. */
async function stopOnFailure(child: ChildProcess, ready: Promise<void>): Promise<void> {
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function userDir(path: string, user: string): string {
  mkdirSync(path, { recursive: true });
  if (asRoot) chownSync(path, ...lookupIds(user));
  return path;
}

function lookupIds(user: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith(`${user}:`));
  if (!line) throw new Error(`user ${user} does not exist (the ${user === 'postgres' ? 'postgresql' : 'mariadb-server'} package creates it)`);
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}

export class Postgres {
  readonly dir: string;
  readonly port: number;
  private readonly password: string;
  private readonly child: ChildProcess;

  private constructor(dir: string, port: number, password: string, child: ChildProcess) {
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.child = child;
  }

  /** initdb (password authentication everywhere) and the server, listening on 127.0.0.1 and a socket in `dir`. */
  static async start(root: string): Promise<Postgres> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('PostgreSQL is not installed');
    const dir = userDir(join(root, 'postgresql'), 'postgres');
    const password = randomBytes(16).toString('hex');
    const passwordFile = join(dir, 'superuser-password');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });
    // setpriv execs the program itself (runuser would stay its parent): the pid recorded is the server's.
    const asPostgres = (program: string, args: string[]) => (asRoot ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', join(bin, program), ...args]] : [join(bin, program), args]) as [string, string[]];
    await run(...asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-sync']));
    rmSync(passwordFile);
    const port = await freePort();
    // Durability is not what the tests are about: no fsync keeps a 200 MB load quick.
    const settings = [`listen_addresses=127.0.0.1`, `port=${port}`, `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
    const child = startServer(...asPostgres('postgres', ['-D', join(dir, 'data'), ...settings.flatMap((setting) => ['-c', setting])]), join(dir, 'server.log'));
    const server = new Postgres(dir, port, password, child);
    await stopOnFailure(child, until(() => server.sql('SELECT 1'), `PostgreSQL on port ${port}`));
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** SQL as the superuser (psql meta-commands such as \gexec work). */
  sql(script: string, database = 'postgres'): Promise<unknown> {
    return run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', this.dir, '-p', String(this.port), '-U', 'postgres', '-d', database], {
      input: script,
      env: { ...process.env, PGPASSWORD: this.password },
    });
  }

  /** What the image does at start: the user with the pod's password, and its database (emptied on a new volume). */
  async provision(user: string, password: string, database: string, newVolume: boolean): Promise<void> {
    await this.sql([
      `SELECT 'CREATE ROLE ${pgIdent(user)} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${pgLiteral(user)})\\gexec`,
      `ALTER ROLE ${pgIdent(user)} WITH LOGIN PASSWORD ${pgLiteral(password)};`,
      ...(newVolume ? [`DROP DATABASE IF EXISTS ${pgIdent(database)} WITH (FORCE);`] : []),
      `SELECT 'CREATE DATABASE ${pgIdent(database)} OWNER ${pgIdent(user)}' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ${pgLiteral(database)})\\gexec`,
      '',
    ].join('\n'));
  }

  info(): ServerInfo {
    return { engine: 'postgresql', port: this.port, pid: this.pid, dir: this.dir };
  }

  stop(): void {
    // SIGINT: PostgreSQL's fast shutdown.
    this.child.kill('SIGINT');
  }
}

export class Mariadb {
  readonly dir: string;
  readonly port: number;
  private readonly child: ChildProcess;

  private constructor(dir: string, port: number, child: ChildProcess) {
    this.dir = dir;
    this.port = port;
    this.child = child;
  }

  get socket(): string {
    return join(this.dir, 'mysqld.sock');
  }

  /** mariadb-install-db and the server, on 127.0.0.1 and a socket in `dir`; root only through the socket. */
  static async start(root: string): Promise<Mariadb> {
    const dir = userDir(join(root, 'mariadb'), 'mysql');
    const user = asRoot ? ['--user=mysql'] : [];
    await run(findProgram('mariadb-install-db')!, ['--no-defaults', `--datadir=${join(dir, 'data')}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db'], { timeoutMs: 300_000 });
    const port = await freePort();
    const child = startServer(findProgram('mariadbd')!, [
      '--no-defaults', `--datadir=${join(dir, 'data')}`, ...user, '--bind-address=127.0.0.1', `--port=${port}`,
      `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'server.log')}`,
      '--skip-name-resolve', '--skip-log-bin', '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=0', '--max-connections=200',
    ], join(dir, 'console.log'));
    const server = new Mariadb(dir, port, child);
    await stopOnFailure(child, until(() => server.sql('SELECT 1'), `MariaDB on port ${port}`));
    // install-db also makes password-less root accounts for TCP: only the socket may be root.
    const others = (await server.sql("SELECT CONCAT('DROP USER ', QUOTE(user), '@', QUOTE(host), ';') FROM mysql.user WHERE user = 'root' AND host <> 'localhost'")).stdout;
    if (others.trim()) await server.sql(others);
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  sql(script: string) {
    return run(findProgram('mariadb')!, ['--no-defaults', `--socket=${this.socket}`, '-u', 'root', '-N', '-B'], { input: script });
  }

  async provision(user: string, password: string, database: string, newVolume: boolean): Promise<void> {
    const account = `${sqlLiteral(user)}@'%'`;
    await this.sql([
      `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${sqlLiteral(password)};`,
      `ALTER USER ${account} IDENTIFIED BY ${sqlLiteral(password)};`,
      ...(newVolume ? [`DROP DATABASE IF EXISTS ${myIdent(database)};`] : []),
      `CREATE DATABASE IF NOT EXISTS ${myIdent(database)};`,
      `GRANT ALL PRIVILEGES ON ${myIdent(database)}.* TO ${account};`,
    ].join('\n'));
  }

  info(): ServerInfo {
    return { engine: 'mariadb', port: this.port, pid: this.pid, dir: this.dir };
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** The harness's own Redis account, beside the pod's password (which clients may change: rotate). */
const HARNESS_USER = 'gshift-harness';

export class Redis {
  readonly dir: string;
  readonly port: number;
  private readonly adminPassword: string;
  private readonly child: ChildProcess;

  private constructor(dir: string, port: number, adminPassword: string, child: ChildProcess) {
    this.dir = dir;
    this.port = port;
    this.adminPassword = adminPassword;
    this.child = child;
  }

  /** A server for one volume: its data (append-only file) in `dir`, kept while the volume lives. */
  static async start(dir: string, password: string): Promise<Redis> {
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const adminPassword = randomBytes(16).toString('hex');
    // The configuration file's path in the process title: the harness knows its servers by their data directory.
    const config = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly yes', `requirepass ${password}`, `user ${HARNESS_USER} on >${adminPassword} ~* &* +@all`, 'proc-title-template "{title} {listen-addr} {config-file}"'];
    writeFileSync(join(dir, 'redis.conf'), `${config.join('\n')}\n`, { mode: 0o600 });
    const child = startServer(findProgram('redis-server')!, [join(dir, 'redis.conf')], join(dir, 'server.log'));
    const server = new Redis(dir, port, adminPassword, child);
    await stopOnFailure(child, until(() => server.command('PING'), `Redis on port ${port}`));
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  command(...args: string[]) {
    return run(findProgram('redis-cli')!, ['-p', String(this.port), '--user', HARNESS_USER, '--no-auth-warning', ...args], { env: { ...process.env, REDISCLI_AUTH: this.adminPassword } });
  }

  /** What the image does at start: the password from the pod's environment. */
  async provision(password: string): Promise<void> {
    await this.command('CONFIG', 'SET', 'requirepass', password);
  }

  info(): ServerInfo {
    return { engine: 'redis', port: this.port, pid: this.pid, dir: this.dir };
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}
