import type {GshiftConfig} from '../config/schema.js';
import {checkEnvironment, tenantNamespace} from '../core/target.js';
import {usageError} from '../errors.js';
import {brokenLabelRule} from '../core/names.js';
import {parseQuantity} from '../core/quantity.js';
import {QUOTA_KEYS, type Quota, type QuotaKey, parseQuotaSpec, resolveQuota} from './quota.js';
import {byCodePoint} from '../core/order.js';

/** Who may do what in a tenant: RBAC group names. */
export interface TenantMembers {
  admins: string[];
  developers: string[];
  viewers: string[];
}

/** What was asked for one environment: kept on its Namespace so `update` can change one thing and keep the rest. */
export interface EnvironmentSettings {
  /** Only the quota items that were given; the rest follow the environment's profile. */
  quota: Partial<Quota>;
  members: TenantMembers;
  ciAccount: boolean;
}

/** One environment as it should be. */
export interface EnvironmentPlan {
  tenant: string;
  env: string;
  namespace: string;
  /** In the config's haEnvironments: the larger quota profile, and developers may only view. */
  ha: boolean;
  settings: EnvironmentSettings;
  quota: Quota;
}

export interface TenantPlan {
  tenant: string;
  environments: EnvironmentPlan[];
  /** Take over namespaces with the tenant's names that gshift did not make. */
  adopt: boolean;
  /** --force-conflicts: take over fields someone else changed on gshift's objects. */
  forceConflicts?: boolean;
  /** e.g. v1.36; undefined keeps a namespace's pinned version, or pins the server's for new ones. */
  podSecurityVersion?: string;
}

export type TenantConfig = Pick<GshiftConfig, 'environments' | 'haEnvironments'>;

/** Namespace prefixes Kubernetes and OpenShift keep for themselves. */
const RESERVED = /^(kube|openshift|default)(-|$)/;

export function checkTenantName(name: string): void {
  const rule = brokenLabelRule(name);
  if (rule) {
    throw usageError(`"${name}" is not a valid tenant name: ${rule}.`, 'use lower-case letters, digits and "-", starting and ending with a letter or digit, like "shop" or "city-archive".', {tenant: name});
  }
  if (RESERVED.test(name)) {
    throw usageError(`"${name}" is not a valid tenant name: namespaces starting with "${name.split('-')[0]}" are reserved for the platform.`, 'choose another name.', {tenant: name});
  }
}

/** Checks environment names against the config's fixed set and the 63-character namespace limit. */
export function checkEnvironments(tenant: string, envs: string[], config: TenantConfig): void {
  for (const env of envs) {
    const rule = brokenLabelRule(env);
    if (rule) throw usageError(`"${env}" is not a valid environment name: ${rule}.`, `use environments among: ${config.environments.join(', ')}.`, {env});
    checkEnvironment(env, config.environments, '--envs');
    const namespace = tenantNamespace(tenant, env);
    if (namespace.length > 63) {
      throw usageError(`The namespace "${namespace}" would be ${namespace.length} characters long; Kubernetes allows 63.`, `use a tenant name of at most ${62 - env.length} characters.`, {namespace});
    }
  }
}

/** --envs dev,test → ["dev", "test"], in the config's promotion order; default: all of them. */
export function parseEnvironmentList(text: string | undefined, config: TenantConfig): string[] {
  if (text === undefined) return [...config.environments];
  const envs = [...new Set(text.split(',').map((env) => env.trim()).filter(Boolean))];
  if (envs.length === 0) throw usageError('--envs is empty.', `name environments among: ${config.environments.join(', ')}.`);
  return envs.sort((a, b) => order(config, a) - order(config, b));
}

function order(config: TenantConfig, env: string): number {
  const index = config.environments.indexOf(env);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

/**
 * Group flags may repeat and hold comma-separated lists; an empty value (--viewers "") means
 * nobody. undefined: the flag was not given.
 */
export function parseGroups(flag: string, values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const groups = [...new Set(values.flatMap((value) => value.split(',')).map((group) => group.trim()).filter(Boolean))];
  for (const group of groups) {
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f]/.test(group)) throw usageError(`"${group}" in --${flag} is not a group name: it contains white space.`, `pass --${flag} with group names separated by commas.`);
  }
  return groups.sort();
}

export function checkPodSecurityVersion(version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  if (version !== 'latest' && !/^v1\.\d+$/.test(version)) {
    throw usageError(`"${version}" is not a Pod Security Standards version.`, 'pass a Kubernetes minor version like v1.36, or latest.');
  }
  return version;
}

export function planEnvironment(tenant: string, env: string, settings: EnvironmentSettings, config: TenantConfig): EnvironmentPlan {
  const ha = config.haEnvironments.includes(env);
  return {tenant, env, namespace: tenantNamespace(tenant, env), ha, settings, quota: resolveQuota(ha, settings.quota, env)};
}

export interface CreateRequest {
  name: string;
  envs?: string;
  quota?: string;
  admins?: string[];
  developers?: string[];
  viewers?: string[];
  ciAccount: boolean;
  adopt: boolean;
  forceConflicts?: boolean;
  podSecurityVersion?: string;
}

/** `tenant create` is declarative: what is not given takes its default, in every listed environment. */
export function planCreate(request: CreateRequest, config: TenantConfig): TenantPlan {
  checkTenantName(request.name);
  const envs = parseEnvironmentList(request.envs, config);
  checkEnvironments(request.name, envs, config);
  const settings: EnvironmentSettings = {
    quota: request.quota === undefined ? {} : parseQuotaSpec(request.quota),
    members: {
      admins: parseGroups('admins', request.admins) ?? [],
      developers: parseGroups('developers', request.developers) ?? [],
      viewers: parseGroups('viewers', request.viewers) ?? [],
    },
    ciAccount: request.ciAccount,
  };
  return {
    tenant: request.name,
    environments: envs.map((env) => planEnvironment(request.name, env, settings, config)),
    adopt: request.adopt,
    forceConflicts: Boolean(request.forceConflicts),
    podSecurityVersion: checkPodSecurityVersion(request.podSecurityVersion),
  };
}

export interface UpdateRequest {
  name: string;
  /** Change only this environment. */
  env?: string;
  addEnvs?: string;
  quota?: string;
  admins?: string[];
  developers?: string[];
  viewers?: string[];
  /** undefined keeps what is there. */
  ciAccount?: boolean;
  podSecurityVersion?: string;
  forceConflicts?: boolean;
}

/** Checks an update's flags before anything is read from the cluster. */
export function checkUpdate(request: UpdateRequest, config: TenantConfig): void {
  checkTenantName(request.name);
  if (request.env !== undefined) checkEnvironments(request.name, [request.env], config);
  if (request.addEnvs !== undefined) checkEnvironments(request.name, parseEnvironmentList(request.addEnvs, config), config);
  if (request.quota !== undefined) parseQuotaSpec(request.quota);
  for (const flag of ['admins', 'developers', 'viewers'] as const) parseGroups(flag, request[flag]);
  checkPodSecurityVersion(request.podSecurityVersion);
}

/**
 * `tenant update` changes only what it names: the quota items given (the others stay), the
 * groups given, the CI account when --ci-account/--no-ci-account is given. New environments
 * take the members and CI account of the existing ones and their own quota defaults.
 */
export function planUpdate(request: UpdateRequest, current: Map<string, EnvironmentSettings>, config: TenantConfig): TenantPlan {
  checkUpdate(request, config);
  const quota = request.quota === undefined ? {} : parseQuotaSpec(request.quota);
  const change = (settings: EnvironmentSettings): EnvironmentSettings => ({
    quota: {...settings.quota, ...quota},
    members: {
      admins: parseGroups('admins', request.admins) ?? settings.members.admins,
      developers: parseGroups('developers', request.developers) ?? settings.members.developers,
      viewers: parseGroups('viewers', request.viewers) ?? settings.members.viewers,
    },
    ciAccount: request.ciAccount ?? settings.ciAccount,
  });
  const existing = [...current.keys()].filter((env) => request.env === undefined || env === request.env);
  const added = request.addEnvs === undefined ? [] : parseEnvironmentList(request.addEnvs, config).filter((env) => !current.has(env));
  const template = current.values().next().value as EnvironmentSettings | undefined;
  const base: EnvironmentSettings = template ? {...template, quota: {}} : {quota: {}, members: {admins: [], developers: [], viewers: []}, ciAccount: false};
  const envs = [...existing.map((env) => [env, change(current.get(env)!)] as const), ...added.map((env) => [env, change(base)] as const)];
  envs.sort(([a], [b]) => order(config, a) - order(config, b));
  return {
    tenant: request.name,
    environments: envs.map(([env, settings]) => planEnvironment(request.name, env, settings, config)),
    adopt: false,
    forceConflicts: Boolean(request.forceConflicts),
    podSecurityVersion: checkPodSecurityVersion(request.podSecurityVersion),
  };
}

/** The settings stored on a Namespace, or undefined when the annotation is missing or unreadable. */
export function readSettings(annotation: string | undefined): EnvironmentSettings | undefined {
  if (!annotation) return undefined;
  try {
    const value = JSON.parse(annotation) as Partial<EnvironmentSettings>;
    const list = (entry: unknown) => (Array.isArray(entry) ? entry.filter((item): item is string => typeof item === 'string') : []);
    return {
      quota: Object.fromEntries(
        Object.entries(typeof value.quota === 'object' && value.quota !== null ? value.quota : {}).filter(
          ([key, quantity]) => QUOTA_KEYS.includes(key as QuotaKey) && typeof quantity === 'string' && parseQuantity(quantity) !== undefined,
        ),
      ),
      members: {admins: list(value.members?.admins), developers: list(value.members?.developers), viewers: list(value.members?.viewers)},
      ciAccount: value.ciAccount === true,
    };
  } catch {
    return undefined;
  }
}

/** Keys in a fixed order, so the annotation is byte-identical when nothing changed. */
export function writeSettings(settings: EnvironmentSettings): string {
  const quota = Object.fromEntries(Object.entries(settings.quota).sort(([a], [b]) => byCodePoint(a, b)));
  const {admins, developers, viewers} = settings.members;
  return JSON.stringify({quota, members: {admins, developers, viewers}, ciAccount: settings.ciAccount});
}
