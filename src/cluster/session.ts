import {usageError} from '../errors.js';
import type {Cluster, ClusterOptions} from './index.js';

/** Stub: the kubeconfig resolution and the client land in the next commits. */
export async function openCluster(_options: ClusterOptions): Promise<Cluster> {
  throw usageError('Cluster access is not implemented yet.');
}
