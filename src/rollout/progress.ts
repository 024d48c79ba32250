/** The rollout as the live view shows it: replica counts and one line per pod. */
import {podReadyText, podRestarts, podStatusText} from './pod-failures.js';
import {currentPods, oldPods, specObserved, type RolloutState} from './state.js';

export interface PodProgress {
  name: string;
  /** kubectl's STATUS column: Running, ContainerCreating, ImagePullBackOff, Terminating, … */
  status: string;
  /** "1/1" */
  ready: string;
  restarts: number;
  /** Of the current ReplicaSet (false: an old pod on its way out). */
  current: boolean;
}

export interface RolloutProgress {
  deployment: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** The deployment controller has seen the current spec: the counts are about it. */
  observed: boolean;
  pods: PodProgress[];
}

export function progressOf(state: RolloutState): RolloutProgress {
  const deployment = state.deployment;
  const status = deployment?.status ?? {};
  const pod = (current: boolean) => (object: Parameters<typeof podStatusText>[0]): PodProgress => ({
    name: object.metadata.name,
    status: podStatusText(object),
    ready: podReadyText(object),
    restarts: podRestarts(object),
    current,
  });
  return {
    deployment: state.name,
    desired: deployment?.spec?.replicas ?? 1,
    updated: status.updatedReplicas ?? 0,
    ready: status.readyReplicas ?? 0,
    available: status.availableReplicas ?? 0,
    observed: specObserved(state),
    pods: [...currentPods(state).map(pod(true)), ...oldPods(state).map(pod(false))],
  };
}

/**
 * The progress of a complete rollout: the desired replicas, all updated, ready and available. The
 * verdict may come from the pods before the deployment controller has counted them into the
 * Deployment's status (see diagnose), which may still say "available 0", or count old pods gone.
 */
export function completedProgress(state: RolloutState): RolloutProgress {
  const progress = progressOf(state);
  const {desired} = progress;
  return {...progress, updated: desired, ready: desired, available: desired};
}
