import {describe, expect, it} from '@jest/globals';

import {checkDumpFor, detectDumpFormat, dumpCommand} from '../../../src/db/dumps.js';

const MARIADB_DUMP = '/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n--\n';
const MYSQL_DUMP = '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: shop\n';

describe('dump commands', () => {
  it('take the credentials from the container environment by name, never by value', () => {
    const [shell, flag, script] = dumpCommand('postgresql', {user: 'POSTGRESQL_USER', password: 'POSTGRESQL_PASSWORD', database: 'POSTGRESQL_DATABASE'});
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script).toBe('export PGPASSWORD="$POSTGRESQL_PASSWORD"; exec pg_dump --format=custom -U "$POSTGRESQL_USER" -d "$POSTGRESQL_DATABASE"');
    expect(dumpCommand('mariadb', {user: 'MYSQL_USER', password: 'MYSQL_PASSWORD', database: 'MYSQL_DATABASE'})[2]).toContain('--single-transaction');
    expect(dumpCommand('redis', {password: 'REDIS_PASSWORD'})[2]).toContain('redis-cli --rdb "$f"');
  });

  it('refuses anything but a variable name in the script', () => {
    expect(() => dumpCommand('postgresql', {user: 'U', password: 'P; rm -rf /', database: 'D'})).toThrow('not a variable name');
  });
});

describe('dump formats', () => {
  it('tells the engines\' dumps apart by their first bytes', () => {
    expect(detectDumpFormat(Buffer.from('PGDMP\x01\x0e\x00'))).toBe('postgresql');
    expect(detectDumpFormat(Buffer.from('REDIS0011\xfa\x09redis-ver', 'latin1'))).toBe('redis');
    expect(detectDumpFormat(Buffer.from(MARIADB_DUMP))).toBe('mysql');
    expect(detectDumpFormat(Buffer.from(MYSQL_DUMP))).toBe('mysql');
    expect(detectDumpFormat(Buffer.from('--\n-- PostgreSQL database dump\n--\n'))).toBe('postgresql-plain');
    expect(detectDumpFormat(Buffer.of(0x1f, 0x8b, 0x08))).toBe('gzip');
    expect(detectDumpFormat(Buffer.from('hello world'))).toBe('unknown');
  });

  it('refuses a file that is not a dump of the database\'s engine, saying what it is', () => {
    expect(() => checkDumpFor('postgresql', Buffer.from(MARIADB_DUMP), 'shop.sql', 'orders')).toThrow('shop.sql is a MariaDB/MySQL dump, not a dump of postgresql database orders.');
    expect(() => checkDumpFor('redis', Buffer.from('PGDMP'), 'orders.dump', 'cache')).toThrow('orders.dump is a PostgreSQL custom-format dump (pg_dump -Fc), not a dump of redis database cache.');
    expect(() => checkDumpFor('mysql', Buffer.from('hello'), 'notes.txt', 'legacy')).toThrow('notes.txt is not a dump of mysql database legacy: gshift does not recognise its format.');
    expect(() => checkDumpFor('mysql', Buffer.from(MYSQL_DUMP), 'legacy.sql', 'legacy')).not.toThrow();
    expect(() => checkDumpFor('mariadb', Buffer.from(MYSQL_DUMP), 'legacy.sql', 'shop')).not.toThrow();
  });
});
