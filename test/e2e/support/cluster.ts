// The test clusters as the e2e tests see them: which kubeconfig to use and how to get the
// plain-Kubernetes flavour (no Route API) when a test needs it.
import {kubeconfigPath, startCluster, type ClusterInfo, type Flavour} from '../../cluster/cluster.ts';
import {recordOwner} from '../../cluster/ownership.ts';

export type {Flavour} from '../../cluster/cluster.ts';

/**
 * The kubeconfig of the default test cluster (the OpenShift flavour: Routes, cert-manager
 * and CloudNativePG APIs), as set by the e2e global setup.
 */
export const TEST_KUBECONFIG: string = process.env.GSHIFT_TEST_KUBECONFIG ?? kubeconfigPath('openshift');

export function kubeconfigFor(flavour: Flavour = 'openshift'): string {
  return flavour === 'openshift' ? TEST_KUBECONFIG : kubeconfigPath(flavour);
}

const started = new Map<Flavour, ClusterInfo>();

/**
 * Returns a running cluster of the flavour, starting it on first use (it runs on its own
 * ports and is stopped by the global teardown when this run started it). 'openshift' is
 * the cluster the global setup started; 'kubernetes' is plain Kubernetes without Routes.
 */
export function startFlavour(flavour: Flavour): ClusterInfo {
  const known = started.get(flavour);
  if (known) return known;
  const info = startCluster(flavour);
  if (!info.reused && process.env.GSHIFT_TEST_RUN_ID) recordOwner(flavour, process.env.GSHIFT_TEST_RUN_ID);
  started.set(flavour, info);
  return info;
}
