import {findDatabaseStack} from '../app/database-stack.js';
import {checkAppName, checkHost, checkStorageSize, parseImageReference, appRenderInput, type AppConfig} from '../app/inputs.js';
import {brokenSubdomainRule} from '../core/names.js';
import {tenantNamespace} from '../core/target.js';
import {checkDbName} from '../db/inputs.js';
import {chooseVersion, ENGINE_NAMES, findEngine} from '../db/engines.js';
import {haRefused} from '../db/ha.js';
import {checkSchedule} from '../db/schedule.js';
import {renderAppDetailed} from '../render/compose.js';
import {checkTargets} from '../scale/request.js';
import {parseQuotaSpec, resolveQuota} from '../tenant/quota.js';
import {checkTenantName, parseGroups} from '../tenant/settings.js';
import {checkCertificates} from './certificate-checks.js';
import {type AppInEnvironment, type EnvironmentInFile, autoscaleOf, resolveEnvironments} from './environments.js';
import {type Path, type SchemaProblem, messageOf} from './schema-check.js';
import type {DatabaseFields, TenantFile} from './tenant-file.js';

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

/** `path`: the file's (a certificate's files are read beside it). */
export async function platformChecks(file: TenantFile, config: PlatformConfig, accepted: (path: Path) => boolean, where: {path?: string} = {}): Promise<SchemaProblem[]> {
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
  problems.push(...(await databaseStacks(file, config, accepted)));
  for (const [index, environment] of spec.environments.entries()) {
    for (const [name, override] of Object.entries(environment.apps ?? {})) checkAppFields(['spec', 'environments', index, 'apps', name], override, report);
  }
  for (const [index, database] of (spec.databases ?? []).entries()) {
    report(['spec', 'databases', index, 'name'], () => checkDbName(database.name));
    const engine = findEngine(database.engine);
    checkDatabaseFields(['spec', 'databases', index], database, engine.name, report);
    for (const [envIndex, environment] of spec.environments.entries()) {
      const override = environment.databases?.[database.name];
      if (override) checkDatabaseFields(['spec', 'environments', envIndex, 'databases', database.name], override, engine.name, report);
    }
  }
  problems.push(...(await checkCertificates(file, environments, {path: where.path ?? 'gshift.yaml', accepted})));
  const clean = problems.length === 0 ? () => true : (path: Path) => accepted(path) && !problems.some((found) => startsWith(found.path, path) || startsWith(path, found.path));
  problems.push(...(await renderEveryApp(environments, config, clean)));
  return problems;
}

/**
 * Databases have one code path, db create's (as app create refuses a database stack): an app
 * entry whose stack is a database's is pointed to databases:, with the engine that runs it.
 */
async function databaseStacks(file: TenantFile, config: PlatformConfig, accepted: (path: Path) => boolean): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  for (const [index, app] of (file.spec.apps ?? []).entries()) {
    const path: Path = ['spec', 'apps', index, 'stack'];
    const database = accepted(path) ? await findDatabaseStack(app.stack, config.templateDirs) : undefined;
    if (!database) continue;
    const {engine} = database;
    problems.push({
      path,
      message: engine
        ? `"${app.stack}" is a database stack: declare ${app.name} under databases: with engine: ${engine.name} (as gshift db create makes it), and attach it to the apps that use it with their databases:`
        : `"${app.stack}" is a database stack, and databases are declared under databases: with an engine (${ENGINE_NAMES.join(', ')}); apps take app stacks`,
    });
  }
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

/** The rules of db create for a database entry's or override's fields: the version, the size, --ha (PostgreSQL only), the backup schedule. */
function checkDatabaseFields(at: Path, fields: DatabaseFields, engine: string, report: Report): void {
  if (fields.version !== undefined) report([...at, 'version'], () => chooseVersion(findEngine(engine), fields.version));
  if (fields.size !== undefined) report([...at, 'size'], () => checkStorageSize(fields.size!));
  if (fields.ha) {
    report([...at, 'ha'], () => {
      if (engine !== 'postgresql') throw haRefused(engine);
    });
  }
  if (typeof fields.backup?.schedule === 'string') report([...at, 'backup', 'schedule'], () => checkSchedule(fields.backup!.schedule));
}

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
      // The autoscaler as gshift scale would keep it: what the stack and high availability allow, and the requests its targets need.
      const autoscale = autoscaleOf(app);
      const rendered = await renderAppDetailed({...input, ...(autoscale ? {autoscale} : {})});
      if (autoscale) checkTargets(app.name, rendered.objects, autoscale);
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

