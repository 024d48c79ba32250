import {GshiftError, notFoundError} from '../errors.js';
import {tenantNamespace} from './target.js';

export interface EnvironmentReading<T> {
  /** The environments the tenant has, in the config's order, with what was read there. */
  found: {env: string; namespace: string; value: T}[];
  /** The environments the user may not read, for the caller to report as warnings. */
  unreadable: {namespace: string; reason: string}[];
}

/**
 * Reads each of a tenant's environments (`<tenant>-<env>` for the config's environments) at
 * once: one the tenant does not have (NOT_FOUND) is left out, one the user may not read
 * (FORBIDDEN) is reported; none at all is a NOT_FOUND naming the namespaces looked for.
 */
export async function acrossEnvironments<T>(tenant: string, environments: readonly string[], read: (namespace: string, env: string) => Promise<T>): Promise<EnvironmentReading<T>> {
  type Outcome = {env: string; namespace: string; value: T} | {env: string; namespace: string; reason: string} | undefined;
  const results = await Promise.all(
    environments.map(async (env): Promise<Outcome> => {
      const namespace = tenantNamespace(tenant, env);
      try {
        return {env, namespace, value: await read(namespace, env)};
      } catch (error) {
        if (error instanceof GshiftError && error.code === 'NOT_FOUND') return undefined;
        if (error instanceof GshiftError && error.code === 'FORBIDDEN') return {env, namespace, reason: error.message};
        throw error;
      }
    }),
  );
  const reading: EnvironmentReading<T> = {found: [], unreadable: []};
  for (const result of results) {
    if (!result) continue;
    if ('value' in result) reading.found.push(result);
    else reading.unreadable.push({namespace: result.namespace, reason: result.reason});
  }
  if (reading.found.length === 0 && reading.unreadable.length === 0) {
    throw notFoundError(`Tenant ${tenant} has no environments (no namespace ${environments.map((env) => tenantNamespace(tenant, env)).join(', ')}).`, `create one with gshift tenant create ${tenant}, or check --tenant (gshift tenant list).`, {tenant});
  }
  return reading;
}
