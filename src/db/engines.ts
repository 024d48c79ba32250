import {usageError} from '../errors.js';

/**
 * The database engines `gshift db` runs. Each is rendered from the catalogue's db stack of the
 * same family (templates/<stack>): the stack gives the pod (image, probes, mounts, security);
 * this table says what gshift needs beside it — the versions it knows, the client, the URIs.
 */
export type EngineName = 'postgresql' | 'mariadb' | 'mysql' | 'redis';

export interface Engine {
  name: EngineName;
  /** The catalogue stack the pod comes from. */
  stack: string;
  /** Known versions, newest first; the first is the default. */
  versions: readonly string[];
  /** The stack's default image names this version, e.g. "postgresql-16": replaced for another version. */
  imageTag: (version: string) => string;
  port: number;
  /** URI scheme of the `uri` key. */
  scheme: string;
  /** SQL engines also get a `jdbc-uri` key. */
  jdbc?: string;
  /** The engine's interactive client, run by `db connect`. */
  client: string;
  /** Whether the engine has users and databases of its own (Redis has a password only). */
  sql: boolean;
}

export const ENGINES: Readonly<Record<EngineName, Engine>> = {
  postgresql: {name: 'postgresql', stack: 'postgresql', versions: ['16', '15', '13'], imageTag: (v) => `postgresql-${v}`, port: 5432, scheme: 'postgresql', jdbc: 'postgresql', client: 'psql', sql: true},
  mariadb: {name: 'mariadb', stack: 'mariadb', versions: ['10.11', '10.5'], imageTag: (v) => `mariadb-${v.replace('.', '')}`, port: 3306, scheme: 'mysql', jdbc: 'mariadb', client: 'mariadb', sql: true},
  mysql: {name: 'mysql', stack: 'mysql', versions: ['8.0'], imageTag: (v) => `mysql-${v.replace('.', '')}`, port: 3306, scheme: 'mysql', jdbc: 'mysql', client: 'mysql', sql: true},
  redis: {name: 'redis', stack: 'redis', versions: ['7', '6'], imageTag: (v) => `redis-${v}`, port: 6379, scheme: 'redis', client: 'redis-cli', sql: false},
};

export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];

/** The engine by name; an unknown one is a usage error listing the known ones. */
export function findEngine(name: string): Engine {
  const engine = (ENGINES as Record<string, Engine | undefined>)[name];
  if (!engine) throw usageError(`There is no database engine "${name}".`, `pass --engine with one of: ${ENGINE_NAMES.join(', ')}.`, {engine: name, known: ENGINE_NAMES});
  return engine;
}

/** The version asked for (the default when none), checked against the engine's known versions. */
export function chooseVersion(engine: Engine, version: string | undefined): string {
  if (version === undefined) return engine.versions[0]!;
  if (engine.versions.includes(version)) return version;
  throw usageError(`${engine.name} has no version "${version}" in gshift's catalogue.`, `pass --version with one of: ${engine.versions.join(', ')}.`, {engine: engine.name, version, known: engine.versions});
}

/**
 * The image of a version, from the stack's default image: `…/rhel9/postgresql-16:9.7` for 16
 * becomes `…/rhel9/postgresql-15:9.7` for 15. The stack's default image already carries the
 * registry prefix of the config (withRegistry), so this keeps it.
 */
export function imageFor(engine: Engine, version: string, stackImage: string): string {
  const current = engine.imageTag(engine.versions[0]!);
  return stackImage.includes(current) ? stackImage.replace(current, engine.imageTag(version)) : stackImage;
}
