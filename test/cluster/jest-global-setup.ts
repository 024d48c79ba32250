// jest globalSetup of the e2e project: build the control plane if the cache lacks it, start
// the test cluster (or reuse a healthy one started by `npm run cluster:up`) and hand its
// kubeconfig to the test workers. Throws, failing the run, when the cluster cannot start:
// end-to-end tests are never skipped.
import { readFileSync, writeFileSync } from 'node:fs';

import { startCluster } from './cluster.ts';
import { recordOwner } from './ownership.ts';
import { ensureTool } from './tools.ts';

/**
 * kwok, like a kubelet, holds one inotify instance per followed container log, and the logs tests
 * follow 200 pods at once: the per-user limit (128 by default) is raised to 1024 where it is
 * lower and may be written (as root); elsewhere test/e2e/logs-scale.test.ts says what to run.
 */
function raiseInotifyLimit(): void {
  const file = '/proc/sys/fs/inotify/max_user_instances';
  try {
    const limit = Number(readFileSync(file, 'utf8'));
    if (limit >= 1024) return;
    writeFileSync(file, '1024\n');
    process.stderr.write(`[e2e] raised fs.inotify.max_user_instances from ${limit} to 1024 for the simulated nodes\n`);
  } catch {
    // Not Linux, or not allowed: the scale test explains the limit.
  }
}

export default async function globalSetup(): Promise<void> {
  raiseInotifyLimit();
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
  // The cert issue tests start a cert-manager controller on first use: built here, so no test waits on a compile.
  ensureTool('cert-manager');
  process.env.KUBECONFIG = info.kubeconfig;
  process.env.GSHIFT_TEST_KUBECONFIG = info.kubeconfig;
  process.stderr.write(`[e2e] cluster ${info.name} ${info.reused ? 'reused' : 'started'} in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
}
