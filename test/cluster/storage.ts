// Persistent volumes in the test cluster, as a real cluster has them: a default StorageClass
// whose provisioner gives every claim a volume of its size and access modes at once. The
// provisioner is kube-controller-manager's own hostPath one (--enable-hostpath-provisioner,
// meant for single-machine test clusters), so binding, reclaiming and pvc-protection are the
// real controllers' work. Its volumes are empty directories under /tmp/hostpath_pv/ (the path
// is fixed in Kubernetes); kwok never mounts them, since no container really runs.
import { rmSync } from 'node:fs';

/** Turns the provisioner on (kube-controller-manager flags, as kwokctl extraArgs). */
export const PROVISIONER_ARGS = [{ key: 'enable-hostpath-provisioner', value: 'true' }];

/**
 * The default class: a claim without a storageClassName gets it. Immediate binding, so a pod's
 * claim is Bound before the scheduler looks at the pod; Delete, so the volume goes with its
 * claim (as cloud volumes do) and nothing piles up on a long-lived cluster.
 */
export const DEFAULT_STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kubernetes.io/host-path',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
};

const PROVISIONED_DIR = '/tmp/hostpath_pv/';

type Kubectl = (args: string[]) => { status: number | null; stdout: string };

/** The directories of the volumes the provisioner made in this cluster (and nothing else). */
export function provisionedVolumeDirs(kubectl: Kubectl): string[] {
  const listed = kubectl(['get', 'persistentvolumes', '-o', 'jsonpath={.items[*].spec.hostPath.path}']);
  if (listed.status !== 0) return [];
  return listed.stdout.split(/\s+/).filter((path) => path.startsWith(PROVISIONED_DIR) && /^[0-9a-f-]+$/.test(path.slice(PROVISIONED_DIR.length)));
}

/** Removes volume directories a stopped cluster can no longer clean up itself. */
export function removeVolumeDirs(dirs: readonly string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
