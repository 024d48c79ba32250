import {createHash, randomInt} from 'node:crypto';

import type {Engine} from './engines.js';

/**
 * A database's credentials: generated once from the cryptographic RNG, then kept in its Secret
 * (the server was initialised with them; a new password would lock every app out). The Secret's
 * keys are CloudNativePG's app-secret keys, so a tool that reads one reads the other.
 */
export interface Credentials {
  username: string;
  password: string;
  /** SQL engines only. */
  dbname?: string;
  /** MariaDB/MySQL: the server's root password, which their images require. */
  rootPassword?: string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 32 characters of 62: about 190 bits, and nothing that needs quoting in a URI or a shell. */
export function generatePassword(length = 32): string {
  let password = '';
  for (let index = 0; index < length; index += 1) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

/**
 * An identifier every SQL engine takes unquoted, as user and database name: the database name
 * with "_" for "-"; never starting with a digit, nor with "pg_" (PostgreSQL reserves those role
 * names); at most 32 characters (MySQL's limit for a user name), the cut marked by a short hash.
 */
export function sqlIdentifier(name: string): string {
  const identifier = name.replace(/-/g, '_');
  const safe = /^([0-9]|pg_)/.test(identifier) ? `db_${identifier}` : identifier;
  if (safe.length <= 32) return safe;
  return `${safe.slice(0, 25)}_${createHash('sha256').update(safe).digest('hex').slice(0, 6)}`;
}

/** Fresh credentials for a database of this name. */
export function newCredentials(engine: Engine, name: string): Credentials {
  if (!engine.sql) return {username: 'default', password: generatePassword()};
  const identifier = sqlIdentifier(name);
  return {username: identifier, password: generatePassword(), dbname: identifier, ...(engine.name === 'postgresql' ? {} : {rootPassword: generatePassword()})};
}

/** The credentials a Secret holds, when it holds a complete set for this engine. */
export function credentialsFromSecret(engine: Engine, values: Record<string, string>): Credentials | undefined {
  const {username, password, dbname} = values;
  if (!username || !password || (engine.sql && !dbname)) return undefined;
  if (engine.sql && engine.name !== 'postgresql' && !values['root-password']) return undefined;
  return {username, password, ...(dbname ? {dbname} : {}), ...(values['root-password'] ? {rootPassword: values['root-password']} : {})};
}

/** host, port, username, password, dbname, uri and (SQL) jdbc-uri: the Secret's data. */
export function secretData(engine: Engine, credentials: Credentials, host: string): Record<string, string> {
  const {username, password, dbname} = credentials;
  const port = String(engine.port);
  const auth = `${encodeURIComponent(username)}:${encodeURIComponent(password)}`;
  const path = engine.sql ? `/${dbname}` : '/0';
  const data: Record<string, string> = {host, port, username, password};
  if (dbname) data.dbname = dbname;
  data.uri = `${engine.scheme}://${auth}@${host}:${port}${path}`;
  if (engine.jdbc) data['jdbc-uri'] = `jdbc:${engine.jdbc}://${host}:${port}/${dbname}?user=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}`;
  if (credentials.rootPassword) data['root-password'] = credentials.rootPassword;
  return data;
}

/** Keys whose values are secret: masked in every output unless --reveal. */
export const SECRET_KEYS = new Set(['password', 'uri', 'jdbc-uri', 'root-password']);
