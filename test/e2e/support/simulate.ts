// How a test asks the simulated nodes (kwok, configured by test/cluster/kwok/pod-stages.yaml)
// for a failing container. Without either of these a pod runs and becomes Ready.

/** Container images that make that container fail; the pod's other containers run. */
export const SIMULATED_IMAGES = {
  /** Pending; the container waits with ErrImagePull, then ImagePullBackOff (retried every ~15-20s). */
  imagePullFailure: 'gshift.test/simulate:image-pull-failure',
  /** Running; the container exits with code 1 every few seconds: CrashLoopBackOff, restartCount rising. */
  crashLoop: 'gshift.test/simulate:crash-loop',
  /** Running, but the container's readiness never passes: Ready=False. */
  neverReady: 'gshift.test/simulate:never-ready',
} as const;

/** Pod annotation that makes every container of the pod fail in the given mode. */
export const SIMULATE_ANNOTATION = 'gshift.io/simulate';

export type SimulatedFailure = 'image-pull-failure' | 'crash-loop' | 'never-ready';

/** The annotation for a pod template: `metadata.annotations`. */
export function simulateAnnotation(mode: SimulatedFailure): Record<string, string> {
  return {[SIMULATE_ANNOTATION]: mode};
}

/**
 * Sets a pod's simulated CPU and memory per container (see test/cluster/metrics.ts): the metrics
 * API reports it after a scrape or two (10-20 s). Without it a container uses 5m and 24Mi.
 */
export async function setSimulatedUsage(namespace: string, pod: string, usage: {cpu?: string; memory?: string}, options: {flavour?: 'openshift' | 'kubernetes'} = {}): Promise<void> {
  const [{kubectl}, {USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION}] = await Promise.all([import('./kubectl.ts'), import('../../cluster/metrics.ts')]);
  const annotations = [...(usage.cpu ? [`${USAGE_CPU_ANNOTATION}=${usage.cpu}`] : []), ...(usage.memory ? [`${USAGE_MEMORY_ANNOTATION}=${usage.memory}`] : [])];
  await kubectl(['annotate', 'pod', pod, '--overwrite', ...annotations], {namespace, ...(options.flavour ? {flavour: options.flavour} : {})});
}
