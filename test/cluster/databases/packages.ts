// The database servers the e2e tests run for real (PostgreSQL, MariaDB, Redis) and their
// clients, from Debian's packages: installed with apt-get when a program is missing (CI runs as
// root on a fresh machine). The packages' own services are not started (RUNLEVEL=1 keeps
// invoke-rc.d from starting them where no policy-rc.d forbids it) and never used: the harness
// starts servers of its own on free ports (servers.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const DATABASE_PACKAGES = ['postgresql', 'mariadb-server', 'mariadb-client', 'redis-server'];

/** The client programs gshift runs (db connect, restore) and the harness uses. */
const CLIENTS = ['psql', 'pg_dump', 'pg_restore', 'mariadb', 'mariadb-dump', 'redis-cli'];
const SERVERS = ['mariadbd', 'mariadb-install-db', 'redis-server'];

function log(message: string) {
  process.stderr.write(`[databases] ${message}\n`);
}

/** A program on PATH (or in the sbin directories, where mariadbd lives), or undefined. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

/** The newest installed PostgreSQL's bin directory (Debian keeps initdb and postgres off PATH). */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
}

export function missingPrograms(): string[] {
  const missing = [...CLIENTS, ...SERVERS].filter((name) => !findProgram(name));
  if (!postgresBinDir()) missing.push('postgres/initdb');
  return missing;
}

function aptGet(args: string[]) {
  return spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Installs the packages when a program is missing; returns how long that took (0 when nothing
 * was missing). Throws, naming the command to run, when it cannot install (not root, no apt).
 */
export function ensureDatabasePackages(): number {
  const missing = missingPrograms();
  if (missing.length === 0) return 0;
  const command = `apt-get install -y --no-install-recommends ${DATABASE_PACKAGES.join(' ')}`;
  if (process.getuid?.() !== 0 || !findProgram('apt-get')) {
    throw new Error(`the database servers the e2e tests use are not installed (missing: ${missing.join(', ')}); as root, run: ${command}`);
  }
  const t0 = Date.now();
  log(`installing ${DATABASE_PACKAGES.join(', ')} with apt-get (missing: ${missing.join(', ')}) ...`);
  const install = () => aptGet(['install', '-y', '--no-install-recommends', ...DATABASE_PACKAGES]);
  let result = install();
  if (result.status !== 0) {
    // A fresh machine may have no package lists yet.
    log('apt-get install failed; updating the package lists and trying again');
    aptGet(['update']);
    result = install();
  }
  if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}):\n${(result.stderr || result.stdout).slice(-4000)}`);
  const still = missingPrograms();
  if (still.length > 0) throw new Error(`after ${command}, still missing: ${still.join(', ')}`);
  const elapsed = Date.now() - t0;
  log(`installed in ${Math.round(elapsed / 1000)}s`);
  return elapsed;
}
