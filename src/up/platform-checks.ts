import {checkAppName, checkHost, checkStorageSize, parseImageReference, appRenderInput, type AppConfig} from '../app/inputs.js';
import {brokenSubdomainRule} from '../core/names.js';
import {tenantNamespace} from '../core/target.js';
import {checkDbName} from '../db/inputs.js';
import {chooseVersion, findEngine} from '../db/engines.js';
import {isGshiftError} from '../errors.js';
import {renderAppDetailed} from '../render/compose.js';
import {parseQuotaSpec, resolveQuota} from '../tenant/quota.js';
import {checkTenantName, parseGroups} from '../tenant/settings.js';
import {type AppInEnvironment, type EnvironmentInFile, resolveEnvironments} from './environments.js';
import type {Path, SchemaProblem} from './schema-check.js';
import {notYetSupported} from './seams.js';
import type {TenantFile} from './tenant-file.js';

/**
 * What only the platform can say about a file that passed the schema: the rules `tenant create`,
 * `app create` and `db create` apply to their flags (names, quotas, images, hosts, sizes,
 * versions), the environments the platform has, and each app rendered in each environment it
 * runs in (high availability, what the stack takes). Every problem is reported at the entry or
 * override that causes it; nothing is sent to a cluster.
 */
export type PlatformConfig = AppConfig;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

const messageOf = (error: unknown): string => (isGshiftError(error) ? error.sentence : error instanceof Error ? error.message : String(error)).replace(/\.$/, '').replaceAll('--quota', 'quota');

export async function platformChecks(file: TenantFile, config: PlatformConfig, accepted: (path: Path) => boolean): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  const report: Report = (path, check, atKey) => {
    if (!accepted(path)) return false;
    try {
      check();
      return true;
    } catch (error) {
      problems.push({path, message: messageOf(error), ...(atKey ? {atKey} : {})});
      return false;
    }
  };
  problems.push(...notYetSupported(file));
  report(['metadata', 'name'], () => checkTenantName(file.metadata.name));
  const {spec} = file;
  if (spec.quota !== undefined) report(['spec', 'quota'], () => parseQuotaSpec(spec.quota!));
  for (const group of ['admins', 'developers', 'viewers'] as const) {
    const members = spec.groups?.[group];
    if (members) report(['spec', 'groups', group], () => parseGroups(group, members));
  }
  const environments = resolveEnvironments(file, config.haEnvironments);
  for (const environment of environments) checkEnvironment(file, environment, config, report);
  for (const [index, app] of (spec.apps ?? []).entries()) checkAppFields(['spec', 'apps', index], app, report, () => checkAppName(app.name));
  for (const [index, environment] of spec.environments.entries()) {
    for (const [name, override] of Object.entries(environment.apps ?? {})) checkAppFields(['spec', 'environments', index, 'apps', name], override, report);
  }
  for (const [index, database] of (spec.databases ?? []).entries()) {
    const at: Path = ['spec', 'databases', index];
    report([...at, 'name'], () => checkDbName(database.name));
    const engine = findEngine(database.engine);
    if (database.version !== undefined) report([...at, 'version'], () => chooseVersion(engine, database.version));
    if (database.size !== undefined) report([...at, 'size'], () => checkStorageSize(database.size!));
    for (const [envIndex, environment] of spec.environments.entries()) {
      const override = environment.databases?.[database.name];
      if (override?.version !== undefined) report(['spec', 'environments', envIndex, 'databases', database.name, 'version'], () => chooseVersion(engine, override.version));
      if (override?.size !== undefined) report(['spec', 'environments', envIndex, 'databases', database.name, 'size'], () => checkStorageSize(override.size!));
    }
  }
  const clean = problems.length === 0 ? () => true : (path: Path) => accepted(path) && !problems.some((found) => startsWith(found.path, path) || startsWith(path, found.path));
  problems.push(...(await renderEveryApp(environments, config, clean)));
  return problems;
}

const startsWith = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((part, index) => path[index] === part);

/** Runs a check of the entry at path; what it throws is a problem there (at the key, for a map's entry). */
type Report = (path: Path, check: () => unknown, atKey?: boolean) => boolean;

function checkEnvironment(file: TenantFile, environment: EnvironmentInFile, config: PlatformConfig, report: Report): void {
  const name = environment.name;
  report([...environment.at, 'name'], () => {
    if (config.environments.length > 0 && !config.environments.includes(name)) {
      throw new Error(`"${name}" is not one of this platform's environments (${config.environments.join(', ')}): add it to "environments" in the gshift config, or rename it`);
    }
    const namespace = tenantNamespace(file.metadata.name, name);
    if (namespace.length > 63) throw new Error(`the namespace "${namespace}" would be ${namespace.length} characters long; Kubernetes allows 63`);
  });
  const own = file.spec.environments.find((entry) => entry.name === name)?.quota;
  if (own !== undefined) report([...environment.at, 'quota'], () => parseQuotaSpec(own));
  if (environment.quota !== undefined) {
    const quotaAt: Path = own !== undefined ? [...environment.at, 'quota'] : ['spec', 'quota'];
    if (safely(() => parseQuotaSpec(environment.quota!))) report(quotaAt, () => resolveQuota(environment.ha, parseQuotaSpec(environment.quota!), name));
  }
  for (const app of environment.apps) {
    const seen = new Map<string, string>();
    for (const [at, binding] of app.databases.entries()) {
      const path: Path = [...app.databasesAt, at];
      report(path, () => {
        if (!environment.databases.some((database) => database.name === binding.database)) throw new Error(`the database "${binding.database}" does not run in ${name}, where the app does (see its environments)`);
        const other = seen.get(binding.prefix);
        if (other) throw new Error(`the variables of "${binding.database}" would have the prefix ${binding.prefix}, as those of "${other}": give one of them {name, prefix}`);
        seen.set(binding.prefix, binding.database);
      });
    }
  }
}

const safely = (check: () => unknown) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

/** The field rules of app create, for the fields an app entry or an override gives. */
function checkAppFields(at: Path, fields: AppInEnvironment['fields'], report: Report, name?: () => unknown): void {
  if (name) report([...at, 'name'], name);
  if (fields.image !== undefined) report([...at, 'image'], () => parseImageReference(fields.image!));
  if (fields.host !== undefined) report([...at, 'host'], () => checkHost(fields.host!));
  if (fields.storage !== undefined) report([...at, 'storage'], () => checkStorageSize(fields.storage!));
  for (const key of Object.keys(fields.env ?? {})) {
    report([...at, 'env', key], () => {
      if (!ENV_NAME.test(key)) throw new Error(`"${key}" is not a valid variable name: it must start with a letter or "_" and hold only letters, digits, "_", "." and "-"`);
    }, true);
  }
  for (const [key, reference] of Object.entries(fields.secretEnv ?? {})) {
    report([...at, 'secretEnv', key], () => {
      if (!ENV_NAME.test(key)) throw new Error(`"${key}" is not a valid variable name: it must start with a letter or "_" and hold only letters, digits, "_", "." and "-"`);
      const rule = brokenSubdomainRule(reference.secret);
      if (rule) throw new Error(`"${reference.secret}" is not a Secret name: ${rule}`);
      if (!SECRET_KEY.test(reference.key)) throw new Error(`"${reference.key}" is not a Secret key: letters, digits, "-", "_" and "." only`);
    }, true);
  }
}

/**
 * Each app rendered in each environment it runs in, as app create would render it: what the
 * stack refuses (variables, a host, storage, fewer than 2 replicas where high availability is
 * enforced) is found here. A problem every environment has is reported once.
 */
async function renderEveryApp(environments: readonly EnvironmentInFile[], config: PlatformConfig, accepted: (path: Path) => boolean): Promise<SchemaProblem[]> {
  const found = new Map<string, {path: Path; base: Path; message: string; envs: string[]; of: number}>();
  const haEnvironments = environments.filter((environment) => environment.ha).map((environment) => environment.name);
  const runs = environments.flatMap((environment) => environment.apps.map((app) => ({environment, app})));
  const appEnvironments = (name: string) => runs.filter((run) => run.app.name === name).length;
  for (const {environment, app} of runs) {
    const path = app.overrideAt ?? app.at;
    if (!accepted(app.at) || (app.overrideAt && !accepted(app.overrideAt))) continue;
    const pairs = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([key, value]) => `${key}=${value}`);
    try {
      const input = appRenderInput(
        {
          name: app.name,
          stack: app.stack,
          env: environment.name,
          namespace: environment.namespace,
          ...pick(app.fields, ['image', 'port', 'replicas', 'storage', 'host']),
          envVar: pairs(app.fields.env),
          param: pairs(app.fields.params),
        },
        {...config, environments: environments.map((entry) => entry.name), haEnvironments},
        'openshift',
      );
      await renderAppDetailed(input);
    } catch (error) {
      const message = messageOf(error);
      const key = `${app.name}\u0000${message}`;
      const entry = found.get(key) ?? {path, base: app.at, message, envs: [], of: appEnvironments(app.name)};
      entry.envs.push(environment.name);
      found.set(key, entry);
    }
  }
  return [...found.values()].map((entry) =>
    entry.envs.length === entry.of ? {path: entry.base, message: entry.message} : {path: entry.path, message: `in ${entry.envs.join(', ')}: ${entry.message}`, atKey: typeof entry.path.at(-1) === 'string'},
  );
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]])) as Pick<T, K>;
}

