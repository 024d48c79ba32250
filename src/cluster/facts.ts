import type {Cluster, Platform} from './index.js';

/** What `gshift status` reports about the cluster itself. */
export interface ClusterFacts {
  context: string;
  server: string;
  user: string;
  /** The kubeconfig files merged, or ["in-cluster"]. */
  kubeconfig: string[];
  serverVersion: string;
  platform: Platform;
  /** "detected" from API discovery, or "config" when the gshift config forces it. */
  platformSource: 'detected' | 'config';
}

/**
 * Asks the server for its version (which proves it is reachable and accepts the credentials)
 * and, unless the config names the platform, detects it: openshift when route.openshift.io/v1
 * is served.
 */
export async function clusterFacts(cluster: Cluster, platformSetting: 'auto' | Platform = 'auto'): Promise<ClusterFacts> {
  const [version, platform] = await Promise.all([
    cluster.serverVersion(),
    platformSetting === 'auto' ? cluster.discovery().then((discovery) => discovery.platform()) : Promise.resolve(platformSetting),
  ]);
  return {
    context: cluster.context,
    server: cluster.server,
    user: cluster.user,
    kubeconfig: cluster.sources,
    serverVersion: version.gitVersion,
    platform,
    platformSource: platformSetting === 'auto' ? 'detected' : 'config',
  };
}
