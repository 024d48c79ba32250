import {tenantNamespace} from '../core/target.js';
import type {AutoscaleSettings} from '../render/parts.js';
import {mergeAutoscale} from '../scale/request.js';
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
  /** The app's fields in this environment (its databases are `databases`, resolved); its host is its certificate's where it has none of its own. */
  fields: Omit<AppFields, 'databases'>;
  databases: DatabaseBinding[];
  /** The certificate on its Route or Ingress here (spec.certificates). */
  certificate?: string;
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

/** A certificate in one environment, on an app that runs there. */
export interface CertificateInEnvironment extends CertificateEntry {
  /** The host it is for here: its own, else its app's. */
  host?: string;
  at: Path;
}

export interface EnvironmentInFile {
  name: string;
  namespace: string;
  ha: boolean;
  /** The quota text: the environment's own, else spec.quota. */
  quota?: string;
  apps: AppInEnvironment[];
  databases: DatabaseInEnvironment[];
  certificates: CertificateInEnvironment[];
  at: Path;
}

/** The variables' prefix: DATABASE for an app's only database, the name in upper case (ORDERS_DB) when it has several. */
export function bindingPrefix(database: string, databasesOfApp: number): string {
  return databasesOfApp === 1 ? 'DATABASE' : database.toUpperCase().replaceAll('-', '_');
}

/** The fields an override merges key by key; every other field it replaces whole. */
export const MAP_FIELDS: ReadonlySet<string> = new Set(['env', 'secretEnv', 'params']);

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
    // An app has one certificate: the first that names it here (a second is a problem the checks report).
    const certificates = (spec.certificates ?? []).flatMap((certificate, index): CertificateInEnvironment[] => {
      const app = apps.find((candidate) => candidate.name === certificate.app);
      if (!app || !inEnvironment(certificate.environments, env) || app.certificate !== undefined) return [];
      app.certificate = certificate.name;
      if (app.fields.host === undefined && certificate.host !== undefined) app.fields = {...app.fields, host: certificate.host};
      const host = certificate.host ?? app.fields.host;
      return [{...certificate, ...(host !== undefined ? {host} : {}), at: ['spec', 'certificates', index]}];
    });
    return {
      name: env,
      namespace: tenantNamespace(file.metadata.name, env),
      ha: environment.ha ?? haByDefault.includes(env),
      ...((environment.quota ?? spec.quota) ? {quota: environment.quota ?? spec.quota} : {}),
      apps,
      databases,
      certificates,
      at: ['spec', 'environments', envIndex],
    };
  });
}

/** The app's autoscaler here as gshift scale keeps one (no target given: CPU at 75%), or undefined where the file gives none. */
export function autoscaleOf(app: Pick<AppInEnvironment, 'name' | 'fields'>): AutoscaleSettings | undefined {
  const given = app.fields.autoscaling;
  return given ? mergeAutoscale({kind: 'autoscale', ...given}, undefined, given.min, app.name) : undefined;
}
