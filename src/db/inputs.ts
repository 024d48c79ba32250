import type {AppConfig} from '../app/inputs.js';
import {checkAppName, checkStorageSize} from '../app/inputs.js';
import {brokenSubdomainRule} from '../core/names.js';
import {checkEnvironment} from '../core/target.js';
import {usageError} from '../errors.js';
import {chooseVersion, findEngine, type Engine} from './engines.js';
import {haRefused} from './ha.js';
import {type BackupSchedule, checkSchedule} from './schedule.js';

/** What `db create` was asked for, before checking. */
export interface DbCreateFlags {
  name: string;
  engine: string;
  version?: string;
  size?: string;
  storageClass?: string;
  tenant?: string;
  env?: string;
  namespace?: string;
  platform?: 'openshift' | 'kubernetes';
  /** db backup --schedule: kept by later runs that leave it out. */
  backup?: BackupSchedule;
  /** --ha: a CloudNativePG Cluster instead of a StatefulSet (PostgreSQL only); kept by later runs. */
  ha?: boolean;
}

/** What a database was created from, recorded on its parent so a re-run keeps what it leaves out. */
export interface DbInputs {
  engine: string;
  version: string;
  size?: string;
  storageClass?: string;
  backup?: BackupSchedule;
  ha?: boolean;
}

export interface CheckedDbFlags {
  name: string;
  engine: Engine;
  version: string;
  size?: string;
  storageClass?: string;
  env: string;
  tenant?: string;
  backup?: BackupSchedule;
  ha?: boolean;
}

/**
 * Every check that needs no cluster: the name (it names Services, so DNS-1035), the engine
 * and version (listed when unknown), the size, the storage class name, the environment.
 */
export function checkDbFlags(flags: DbCreateFlags, config: Pick<AppConfig, 'env' | 'tenant' | 'environments'>): CheckedDbFlags {
  const name = checkDbName(flags.name);
  const engine = findEngine(flags.engine);
  const version = chooseVersion(engine, flags.version);
  if (flags.size !== undefined) checkStorageSize(flags.size);
  if (flags.storageClass !== undefined && brokenSubdomainRule(flags.storageClass)) {
    throw usageError(`"${flags.storageClass}" is not a valid storage class name.`, 'pass --storage-class with a class `kubectl get storageclass` lists.');
  }
  const env = flags.env ?? config.env ?? 'dev';
  checkEnvironment(env, config.environments);
  const tenant = flags.tenant ?? config.tenant;
  const backup = flags.backup ? {...flags.backup, schedule: checkSchedule(flags.backup.schedule)} : undefined;
  if (flags.ha && engine.name !== 'postgresql') throw haRefused(engine.name);
  return {name, engine, version, env, ...(tenant ? {tenant} : {}), ...(flags.size ? {size: flags.size} : {}), ...(flags.storageClass ? {storageClass: flags.storageClass} : {}), ...(backup ? {backup} : {}), ...(flags.ha ? {ha: true} : {})};
}

/** A database's name names its StatefulSet, Services and Secret: the app name rules apply. */
export function checkDbName(name: string): string {
  try {
    return checkAppName(name);
  } catch {
    throw usageError(`"${name}" is not a valid database name: use lower-case letters, digits and "-", starting with a letter.`, 'pick a name like "orders-db".');
  }
}

/** The inputs of this run: a flag left out keeps what the database was created with. */
export function mergeDbInputs(flags: DbCreateFlags, previous: DbInputs | undefined): DbInputs {
  return {
    engine: flags.engine,
    version: flags.version ?? previous?.version ?? findEngine(flags.engine).versions[0]!,
    ...((flags.size ?? previous?.size) ? {size: flags.size ?? previous!.size!} : {}),
    ...((flags.storageClass ?? previous?.storageClass) ? {storageClass: flags.storageClass ?? previous!.storageClass!} : {}),
    ...((flags.backup ?? previous?.backup) ? {backup: flags.backup ?? previous!.backup!} : {}),
    ...((flags.ha ?? previous?.ha) ? {ha: true} : {}),
  };
}

/** The recorded inputs, or undefined when the parent holds none gshift can read. */
export function readDbInputs(raw: unknown): DbInputs | undefined {
  const value = raw as Record<string, unknown> | undefined;
  if (!value || typeof value.engine !== 'string' || typeof value.version !== 'string') return undefined;
  return {
    engine: value.engine,
    version: value.version,
    ...(typeof value.size === 'string' ? {size: value.size} : {}),
    ...(typeof value.storageClass === 'string' ? {storageClass: value.storageClass} : {}),
    ...(isSchedule(value.backup) ? {backup: value.backup} : {}),
    ...(value.ha === true ? {ha: true} : {}),
  };
}

function isSchedule(value: unknown): value is BackupSchedule {
  const backup = value as Partial<BackupSchedule> | undefined;
  return typeof backup?.schedule === 'string' && typeof backup.keep === 'number';
}
