// `gshift status`: what gshift knows without the network (context, server, user, the effective
// tenant, environment and namespace with where each came from), then what the server says
// (version, platform). When the server cannot be reached, the offline part is still the answer
// the user needs to see what is wrong, so it travels with the failure.
import type {ClusterFacts} from '../cluster/facts.js';
import {GshiftError} from '../errors.js';
import type {TargetFlags} from './session.js';

export interface OfflineStatus {
  context: string;
  server: string;
  user: string;
  kubeconfig: string[];
  tenant: string | null;
  tenantSource: string | null;
  env: string | null;
  envSource: string | null;
  namespace: string;
  namespaceSource: string;
}

export type Status = OfflineStatus & Pick<ClusterFacts, 'serverVersion' | 'platform' | 'platformSource'>;

/**
 * The status, or a failure carrying the offline status in its details (`known`). `onOffline`
 * sees the offline part as soon as it is known, before the server is asked.
 */
export async function clusterStatus(flags: TargetFlags, onOffline?: (offline: OfflineStatus) => void): Promise<Status> {
  const [{openSession}, {clusterFacts}] = await Promise.all([import('./session.js'), import('../cluster/facts.js')]);
  // No network yet: the session reads the kubeconfig and resolves the target as every command does.
  const {cluster, config, target} = await openSession(flags);
  try {
    const inferred = target.environmentSource === 'namespace name' || target.environmentSource === 'namespace labels' ? target.environmentSource : undefined;
    const origin = (flag: string | undefined, key: 'tenant' | 'env') => (flag !== undefined ? `flag --${key}` : (inferred ?? config.sources[key] ?? 'config'));
    const offline: OfflineStatus = {
      context: cluster.context,
      server: cluster.server,
      user: cluster.user,
      kubeconfig: cluster.sources,
      tenant: target.tenant ?? null,
      tenantSource: target.tenant ? origin(flags.tenant, 'tenant') : null,
      env: target.env ?? null,
      envSource: target.env ? origin(flags.env, 'env') : null,
      namespace: target.namespace,
      namespaceSource: target.source,
    };
    onOffline?.(offline);
    try {
      const {serverVersion, platform, platformSource} = await clusterFacts(cluster, config.values.platform);
      return {...offline, serverVersion, platform, platformSource};
    } catch (error) {
      if (!(error instanceof GshiftError)) throw error;
      throw new GshiftError(error.code, error.message, {hint: error.hint, cause: error.cause ?? error, details: {...error.details, known: offline}});
    }
  } finally {
    await cluster.close();
  }
}
