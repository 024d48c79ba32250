// The test cluster has CloudNativePG's Cluster CRD but no operator: tests write a Cluster's
// status as the operator would once its instances run, through the status subresource.
import {kubectl, kubectlResult} from './kubectl.ts';
import {waitUntil} from './wait.ts';

/** What the operator writes once the cluster runs. */
export function healthyCluster(instances: number, primary: string, target = primary) {
  return {status: {phase: 'Cluster in healthy state', instances, readyInstances: instances, currentPrimary: primary, targetPrimary: target, conditions: [{type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready', lastTransitionTime: new Date().toISOString()}]}};
}

export const writeClusterStatus = (namespace: string, name: string, status: object) =>
  kubectl(['patch', 'clusters.postgresql.cnpg.io', name, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)], {namespace});

/** Plays the operator for one Cluster: waits until it exists, then reports it healthy with its instances. */
export async function operateCluster(namespace: string, name: string, options: {timeoutMs?: number} = {}): Promise<void> {
  let instances = 0;
  await waitUntil(
    async () => {
      const result = await kubectlResult(['get', 'clusters.postgresql.cnpg.io', name, '-o', 'jsonpath={.spec.instances}'], {namespace});
      instances = result.code === 0 ? Number.parseInt(result.stdout, 10) || 0 : 0;
      return instances > 0;
    },
    {timeoutMs: options.timeoutMs ?? 180_000, intervalMs: 1000, description: `CloudNativePG Cluster ${namespace}/${name}`},
  );
  await writeClusterStatus(namespace, name, healthyCluster(instances, `${name}-1`));
}
