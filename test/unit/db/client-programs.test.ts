import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {clientHint, clientInvocation, requireClient} from '../../../src/db/client-programs.js';

function pathWith(...programs: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gshift-clients-'));
  for (const program of programs) {
    writeFileSync(join(dir, program), '#!/bin/sh\n');
    chmodSync(join(dir, program), 0o755);
  }
  return dir;
}

describe('the engines\' clients', () => {
  it('passes the password by environment only, never as an argument', () => {
    const endpoint = {address: '127.0.0.1', port: 15432};
    const credentials = {username: 'orders', password: 's3cret', dbname: 'orders'};
    for (const engine of ['postgresql', 'mariadb', 'mysql', 'redis'] as const) {
      const {args, env} = clientInvocation(engine, endpoint, credentials);
      expect(args.join(' ')).not.toContain('s3cret');
      expect(Object.values(env)).toEqual(['s3cret']);
    }
    expect(clientInvocation('postgresql', endpoint, credentials)).toEqual({args: ['-h', '127.0.0.1', '-p', '15432', '-U', 'orders', '-d', 'orders'], env: {PGPASSWORD: 's3cret'}});
    expect(clientInvocation('mariadb', endpoint, credentials).env).toEqual({MYSQL_PWD: 's3cret'});
    expect(clientInvocation('redis', endpoint, credentials)).toEqual({args: ['-h', '127.0.0.1', '-p', '15432'], env: {REDISCLI_AUTH: 's3cret'}});
  });

  it('shows a connection command without the password', () => {
    expect(clientHint('postgresql', {address: '127.0.0.1', port: 5555}, {username: 'orders', dbname: 'orders'})).toBe('PGPASSWORD=… psql -h 127.0.0.1 -p 5555 -U orders -d orders');
  });

  it('finds the client on PATH, the MariaDB and MySQL clients standing in for each other', () => {
    expect(requireClient('postgresql', 'connect', pathWith('psql'))).toMatch(/\/psql$/);
    expect(requireClient('mariadb', 'connect', pathWith('mysql'))).toMatch(/\/mysql$/);
    expect(requireClient('mysql', 'restore', pathWith('mariadb', 'mysql'))).toMatch(/\/mysql$/);
  });

  it('says what to install when the client is not on PATH (exit 2)', () => {
    const missing = () => requireClient('postgresql', 'connect', pathWith('mariadb'));
    expect(missing).toThrow('gshift needs psql to connect to a postgresql database, and it is not on your PATH.');
    try {
      missing();
    } catch (error) {
      expect((error as {exitCode: number}).exitCode).toBe(2);
      expect((error as {hint: string}).hint).toContain('postgresql-client');
      expect((error as {hint: string}).hint).toContain('--port-forward-only');
    }
    expect(() => requireClient('redis', 'restore', pathWith())).toThrow('gshift needs redis-cli to restore a redis database');
  });
});
