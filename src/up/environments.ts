import {tenantNamespace} from '../core/target.js';
import type {Path} from './schema-check.js';
import {type AppFields, type CertificateEntry, type DatabaseFields, type TenantFile, referencedDatabase} from './tenant-file.js';

/**
 * The file seen from one environment: which apps and databases run there, each with the
 * environment's overrides laid over its fields. Pure. An override replaces a field, except the
 * maps (env, secretEnv, params), whose keys it adds or replaces one by one.
 */

/** An attached database and the prefix of the app's variables for it (DATABASE_HOST, …). */
export interface DatabaseBinding {
  database: string;
  prefix: string;
}

export interface AppInEnvironment {
  name: string;
  stack: string;
  /** The app's fields in this environment (its databases are `databases`, resolved). */
  fields: Omit<AppFields, 'databases'>;
  databases: DatabaseBinding[];
  /** Where it is declared in the file, and the environment's override of it (for problems). */
  at: Path;
  overrideAt?: Path;
  /** Where its databases are listed (the app, or the environment's override). */
  databasesAt: Path;
}

export interface DatabaseInEnvironment {
  name: string;
  engine: string;
  fields: DatabaseFields;
  at: Path;
  overrideAt?: Path;
}

export interface EnvironmentInFile {
  name: string;
  namespace: string;
  ha: boolean;
  /** The quota text: the environment's own, else spec.quota. */
  quota?: string;
  apps: AppInEnvironment[];
  databases: DatabaseInEnvironment[];
  certificates: CertificateEntry[];
  at: Path;
}

/** The variables' prefix: DATABASE for an app's only database, the name in upper case (ORDERS_DB) when it has several. */
export function bindingPrefix(database: string, databasesOfApp: number): string {
  return databasesOfApp === 1 ? 'DATABASE' : database.toUpperCase().replaceAll('-', '_');
}

const MAP_FIELDS = new Set(['env', 'secretEnv', 'params']);

/** Base fields with an override laid over them. */
export function overlay<T extends object>(base: T, override: Partial<T> | undefined): T {
  if (!override) return base;
  const result = {...base} as Record<string, unknown>;
  for (const [field, value] of Object.entries(override)) {
    const current = result[field];
    result[field] = MAP_FIELDS.has(field) && current && typeof current === 'object' ? {...current, ...(value as object)} : value;
  }
  return result as T;
}

const inEnvironment = (environments: readonly string[] | undefined, env: string) => !environments || environments.includes(env);

/** Every environment of the file in its order; `haByDefault` are the config's high-availability environments. */
export function resolveEnvironments(file: TenantFile, haByDefault: readonly string[]): EnvironmentInFile[] {
  const {spec} = file;
  return spec.environments.map((environment, envIndex) => {
    const env = environment.name;
    const apps = (spec.apps ?? []).flatMap((app, index): AppInEnvironment[] => {
      if (!inEnvironment(app.environments, env)) return [];
      const {name, stack, environments: _environments, ...base} = app;
      const override = environment.apps?.[name];
      const {databases = [], ...fields} = overlay(base as AppFields, override);
      const names = databases.map(referencedDatabase).filter((database): database is string => database !== undefined);
      const bindings = databases.map((reference, at) => ({database: names[at]!, prefix: (typeof reference === 'object' ? reference.prefix : undefined) ?? bindingPrefix(names[at]!, names.length)}));
      const databasesAt: Path = override?.databases ? ['spec', 'environments', envIndex, 'apps', name, 'databases'] : ['spec', 'apps', index, 'databases'];
      return [{name, stack, fields, databases: bindings, databasesAt, at: ['spec', 'apps', index], ...(override ? {overrideAt: ['spec', 'environments', envIndex, 'apps', name]} : {})}];
    });
    const databases = (spec.databases ?? []).flatMap((database, index): DatabaseInEnvironment[] => {
      if (!inEnvironment(database.environments, env)) return [];
      const {name, engine, environments: _environments, ...fields} = database;
      const override = environment.databases?.[name];
      return [{name, engine, fields: overlay(fields as DatabaseFields, override), at: ['spec', 'databases', index], ...(override ? {overrideAt: ['spec', 'environments', envIndex, 'databases', name]} : {})}];
    });
    const running = new Set(apps.map((app) => app.name));
    return {
      name: env,
      namespace: tenantNamespace(file.metadata.name, env),
      ha: environment.ha ?? haByDefault.includes(env),
      ...((environment.quota ?? spec.quota) ? {quota: environment.quota ?? spec.quota} : {}),
      apps,
      databases,
      certificates: (spec.certificates ?? []).filter((certificate) => running.has(certificate.app)),
      at: ['spec', 'environments', envIndex],
    };
  });
}
