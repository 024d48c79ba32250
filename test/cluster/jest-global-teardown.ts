// jest globalTeardown of the e2e project: stop the clusters this run started (the default
// one and, if a test asked for it, the plain-Kubernetes flavour); leave alone a cluster that
// was already running when the run began.
import { FLAVOUR_NAMES, hasClusterState, stopAll, stopCluster } from './cluster.ts';
import { clearOwner, isOwnedBy } from './ownership.ts';

export default async function globalTeardown(): Promise<void> {
  const runId = process.env.GSHIFT_TEST_RUN_ID;
  for (const flavour of FLAVOUR_NAMES) {
    if (!isOwnedBy(flavour, runId)) continue;
    stopCluster(flavour);
    clearOwner(flavour);
  }
  // Nothing left running: leave no state behind either (kubeconfigs, simulated logs).
  if (!FLAVOUR_NAMES.some(hasClusterState)) stopAll();
}
