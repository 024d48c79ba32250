import {ENV_LABEL, TENANT_LABEL} from './labels.js';
import {brokenLabelRule} from './names.js';
import {usageError} from '../errors.js';
import type {GshiftConfig} from '../config/schema.js';

/** Where a command works: the namespace, and the tenant/environment it belongs to when known. */
export interface Target {
  namespace: string;
  tenant?: string;
  env?: string;
  /** How the namespace was chosen, for `gshift status` and error messages. */
  source: 'flag --namespace' | 'tenant and env' | 'kube context' | 'default';
  /** How tenant and env were found when the namespace was given: its labels, or its name's `-<env>` suffix. */
  environmentSource?: 'flags' | 'namespace labels' | 'namespace name' | 'config';
}

export interface TargetInputs {
  flags: {namespace?: string; tenant?: string; env?: string};
  config: Pick<GshiftConfig, 'tenant' | 'env' | 'environments'>;
  contextNamespace?: string;
}

/** The namespace of a tenant's environment. */
export function tenantNamespace(tenant: string, env: string): string {
  return `${tenant}-${env}`;
}

/**
 * Refuses an environment the platform does not have. `--env LOG_LEVEL=debug` is what `oc new-app`
 * and `kubectl run` users type for a variable: they are pointed to --env-var.
 */
export function checkEnvironment(env: string, environments: readonly string[], flag = '--env'): void {
  if (environments.length === 0 || environments.includes(env)) return;
  const listed = environments.join(', ');
  if (env.includes('=')) {
    throw usageError(`${flag} names the environment (${listed}), not a variable: "${env}" is not one of them.`, `set a variable with --env-var ${env}, and the environment with ${flag} ${environments[0]}.`, {env});
  }
  throw usageError(`"${env}" is not one of this platform's environments (${listed}).`, `pass ${flag} with one of: ${listed}, or add it to "environments" in the gshift config.`, {env});
}

/**
 * One resolution for every command, dry run or not: --namespace wins; else --tenant/--env
 * (falling back to the config's defaults) give `T-E`; else the kube context's namespace; else
 * "default", as kubectl does. A namespace given as such names its own environment: the flags
 * if given, else the `T-E` shape of its name for a known environment (later replaced by the
 * namespace's labels when the cluster is read, see withNamespaceLabels), else the config's.
 */
export function resolveTarget({flags, config, contextNamespace}: TargetInputs): Target {
  if (flags.env !== undefined) checkEnvironment(flags.env, config.environments);
  if (flags.namespace) {
    const rule = brokenLabelRule(flags.namespace);
    if (rule) throw usageError(`"${flags.namespace}" is not a valid namespace name: ${rule}.`, 'pass --namespace with a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters.');
    return {namespace: flags.namespace, ...environmentOfNamespace(flags.namespace, flags, config), source: 'flag --namespace'};
  }
  const tenant = flags.tenant ?? config.tenant;
  const env = flags.env ?? config.env;
  if (tenant && env) {
    const namespace = tenantNamespace(tenant, env);
    if (namespace.length > 63) throw usageError(`The namespace "${namespace}" would be longer than 63 characters.`, 'use a shorter tenant or environment name.');
    return {namespace, tenant, env, source: 'tenant and env', environmentSource: flags.tenant && flags.env ? 'flags' : 'config'};
  }
  if (contextNamespace) return {namespace: contextNamespace, ...environmentOfNamespace(contextNamespace, flags, config), source: 'kube context'};
  return {namespace: 'default', ...(tenant ? {tenant} : {}), ...(env ? {env} : {}), source: 'default', ...(tenant || env ? {environmentSource: 'config' as const} : {})};
}

type EnvironmentOf = Pick<Target, 'tenant' | 'env' | 'environmentSource'>;

function environmentOfNamespace(namespace: string, flags: TargetInputs['flags'], config: TargetInputs['config']): EnvironmentOf {
  if (flags.env) return {env: flags.env, ...(flags.tenant ? {tenant: flags.tenant} : {}), environmentSource: 'flags'};
  const env = config.environments.find((candidate) => namespace.endsWith(`-${candidate}`) && namespace.length > candidate.length + 1);
  if (env) return {tenant: flags.tenant ?? namespace.slice(0, -(env.length + 1)), env, environmentSource: 'namespace name'};
  const fallback = {...(flags.tenant ?? config.tenant ? {tenant: flags.tenant ?? config.tenant} : {}), ...(config.env ? {env: config.env} : {})};
  return Object.keys(fallback).length > 0 ? {...fallback, environmentSource: 'config'} : {};
}

/**
 * The namespace's own labels (gshift tenant create sets them) say which tenant and environment
 * it is, unless the flags said so: they beat a guess from its name or the config's defaults.
 */
export function withNamespaceLabels(target: Target, labels: Record<string, string> | undefined): Target {
  if (target.environmentSource === 'flags' || target.source === 'tenant and env') return target;
  const env = labels?.[ENV_LABEL];
  if (!env) return target;
  const tenant = labels?.[TENANT_LABEL];
  return {...target, env, ...(tenant ? {tenant} : {}), environmentSource: 'namespace labels'};
}
