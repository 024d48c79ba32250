// jest globalSetup of the e2e project: build the control plane if the cache lacks it, start
// the test cluster (or reuse a healthy one started by `npm run cluster:up`) and hand its
// kubeconfig to the test workers. Throws, failing the run, when the cluster cannot start:
// end-to-end tests are never skipped.
import { startCluster } from './cluster.ts';
import { recordOwner } from './ownership.ts';

export default async function globalSetup(): Promise<void> {
  const runId = `${process.pid}-${Date.now()}`;
  process.env.GSHIFT_TEST_RUN_ID = runId;
  const t0 = Date.now();
  let info;
  try {
    info = startCluster('openshift');
  } catch (error) {
    throw new Error(`the e2e test cluster could not start: ${(error as Error).message}`, { cause: error });
  }
  if (!info.reused) recordOwner('openshift', runId);
  process.env.KUBECONFIG = info.kubeconfig;
  process.env.GSHIFT_TEST_KUBECONFIG = info.kubeconfig;
  process.stderr.write(`[e2e] cluster ${info.name} ${info.reused ? 'reused' : 'started'} in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
