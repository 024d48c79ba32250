import {brokenLabelRule} from '../core/names.js';
import {usageError} from '../errors.js';
import type {GshiftConfig} from './schema.js';

/** Where a command works: the namespace, and the tenant/environment it belongs to when known. */
export interface Target {
  namespace: string;
  tenant?: string;
  env?: string;
  /** How the namespace was chosen, for `gshift status` and error messages. */
  source: 'flag --namespace' | 'tenant and env' | 'kube context' | 'default';
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
 * --namespace wins; else --tenant/--env (falling back to the config's defaults) give `T-E`;
 * else the kube context's namespace; else "default", as kubectl does.
 */
export function resolveTarget({flags, config, contextNamespace}: TargetInputs): Target {
  const tenant = flags.tenant ?? config.tenant;
  const env = flags.env ?? config.env;
  if (flags.env !== undefined && config.environments.length > 0 && !config.environments.includes(flags.env)) {
    throw usageError(`"${flags.env}" is not one of this platform's environments (${config.environments.join(', ')}).`, `pass --env with one of: ${config.environments.join(', ')}.`);
  }
  if (flags.namespace) {
    const rule = brokenLabelRule(flags.namespace);
    if (rule) throw usageError(`"${flags.namespace}" is not a valid namespace name: ${rule}.`, 'pass --namespace with a DNS-1123 label: lower-case letters, digits and "-", at most 63 characters.');
    return {namespace: flags.namespace, tenant, env, source: 'flag --namespace'};
  }
  if (tenant && env) {
    const namespace = tenantNamespace(tenant, env);
    if (namespace.length > 63) throw usageError(`The namespace "${namespace}" would be longer than 63 characters.`, 'use a shorter tenant or environment name.');
    return {namespace, tenant, env, source: 'tenant and env'};
  }
  if (contextNamespace) return {namespace: contextNamespace, tenant, env, source: 'kube context'};
  return {namespace: 'default', tenant, env, source: 'default'};
}
