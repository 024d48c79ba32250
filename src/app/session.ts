import type {Cluster} from '../cluster/index.js';
import type {EffectiveConfig} from '../config/load.js';
import type {Target} from '../config/target.js';

/** The flags every app command takes to pick the cluster and the namespace (see `clusterFlags`). */
export interface TargetFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  tenant?: string;
  env?: string;
}

/** Where an app command works: one cluster connection, one namespace, the effective config. */
export interface AppSession {
  cluster: Cluster;
  target: Target;
  config: EffectiveConfig;
}

/**
 * Loads the config, opens the kubeconfig (no network yet) and resolves the namespace:
 * --namespace, else --tenant/--env (or their config defaults) as `T-E`, else the context's.
 */
export async function openSession(flags: TargetFlags, options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<AppSession> {
  const [{loadConfig}, {resolveTarget}, {connect}] = await Promise.all([
    import('../config/load.js'),
    import('../config/target.js'),
    import('../cluster/index.js'),
  ]);
  const config = await loadConfig(options.cwd, options.env);
  const cluster = await connect({kubeconfig: flags.kubeconfig, context: flags.context, env: options.env});
  const target = resolveTarget({
    flags: {namespace: flags.namespace, tenant: flags.tenant, env: flags.env},
    config: config.values,
    contextNamespace: cluster.contextNamespace,
  });
  return {cluster, target, config};
}
