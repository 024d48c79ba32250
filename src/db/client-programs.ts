import {accessSync, constants} from 'node:fs';
import {delimiter, join} from 'node:path';

import {usageError} from '../errors.js';
import type {EngineName} from './engines.js';

/**
 * The engines' own clients, run on this machine against a port-forward: `db connect` (the
 * interactive client), `db restore` (pg_restore, the SQL client, redis-cli --pipe) and the
 * login checks of `credentials --rotate`. The password goes by the client's environment variable
 * (PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH), never on the command line, where `ps` shows it.
 */
export type ClientPurpose = 'connect' | 'restore';

/** The programs that will do, in order of preference (MariaDB's and MySQL's clients speak to both). */
const PROGRAMS: Record<EngineName, Record<ClientPurpose, string[]>> = {
  postgresql: {connect: ['psql'], restore: ['pg_restore']},
  mariadb: {connect: ['mariadb', 'mysql'], restore: ['mariadb', 'mysql']},
  mysql: {connect: ['mysql', 'mariadb'], restore: ['mysql', 'mariadb']},
  redis: {connect: ['redis-cli'], restore: ['redis-cli']},
};

const PACKAGES: Record<EngineName, string> = {
  postgresql: 'the PostgreSQL client (Debian/Ubuntu: postgresql-client; Fedora/RHEL: postgresql; macOS: brew install libpq)',
  mariadb: 'the MariaDB client (Debian/Ubuntu: mariadb-client; Fedora/RHEL: mariadb; macOS: brew install mariadb)',
  mysql: 'the MySQL or MariaDB client (Debian/Ubuntu: mariadb-client; Fedora/RHEL: mysql; macOS: brew install mysql-client)',
  redis: 'redis-cli (Debian/Ubuntu: redis-tools; Fedora/RHEL: redis; macOS: brew install redis)',
};

/** The first of the programs found on PATH. */
export function findOnPath(programs: readonly string[], path = process.env.PATH ?? ''): string | undefined {
  for (const program of programs) {
    for (const dir of path.split(delimiter).filter(Boolean)) {
      const candidate = join(dir, program);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The client for this engine and purpose; a clear error (exit 2) naming what to install when none is on PATH. */
export function requireClient(engine: EngineName, purpose: ClientPurpose, path?: string): string {
  const programs = PROGRAMS[engine][purpose];
  const found = findOnPath(programs, path);
  if (found) return found;
  const what = purpose === 'connect' ? 'connect to' : 'restore';
  throw usageError(
    `gshift needs ${programs.join(' or ')} to ${what} a ${engine} database, and it is not on your PATH.`,
    `install ${PACKAGES[engine]}${purpose === 'connect' ? ', or use --port-forward-only with a client of your choice' : ''}.`,
    {engine, programs},
  );
}

export interface Endpoint {
  address: string;
  port: number;
}

export interface ClientCredentials {
  username: string;
  password: string;
  dbname?: string;
}

/** Arguments that point the client at the tunnel, and the environment that carries the password. */
export function clientInvocation(engine: EngineName, endpoint: Endpoint, credentials: ClientCredentials): {args: string[]; env: Record<string, string>} {
  const {address, port} = endpoint;
  if (engine === 'postgresql') {
    return {args: ['-h', address, '-p', String(port), '-U', credentials.username, '-d', credentials.dbname ?? credentials.username], env: {PGPASSWORD: credentials.password}};
  }
  if (engine === 'redis') return {args: ['-h', address, '-p', String(port)], env: {REDISCLI_AUTH: credentials.password}};
  return {args: ['-h', address, '-P', String(port), '--protocol=TCP', '-u', credentials.username, ...(credentials.dbname ? [`--database=${credentials.dbname}`] : [])], env: {MYSQL_PWD: credentials.password}};
}

/** The command line to show a user (no password): what `--port-forward-only` suggests. */
export function clientHint(engine: EngineName, endpoint: Endpoint, credentials: Omit<ClientCredentials, 'password'>): string {
  const {args, env} = clientInvocation(engine, endpoint, {...credentials, password: ''});
  const program = PROGRAMS[engine].connect[0]!;
  return `${Object.keys(env)[0]}=… ${program} ${args.join(' ')}`;
}
