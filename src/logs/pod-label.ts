/** The hash a Deployment's ReplicaSet puts in its pods' names and labels. */
export const TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * A short label for a pod that stays the same for its life: the ReplicaSet's hash dropped
 * (`web-7d9f8c6b5-x2k4p` → `web-x2k4p`), so pods of one app read alike across rollouts.
 * StatefulSet pods (`db-0`) and bare pods keep their names. Pure.
 */
export function podLabel(name: string, labels: Record<string, string> | undefined): string {
  const hash = labels?.[TEMPLATE_HASH_LABEL];
  if (!hash) return name;
  const marker = `-${hash}-`;
  const at = name.lastIndexOf(marker);
  return at > 0 ? `${name.slice(0, at)}-${name.slice(at + marker.length)}` : name;
}

/** The label with the container, when a pod's lines come from more than one container. */
export function streamLabel(pod: string, container: string, withContainer: boolean): string {
  return withContainer ? `${pod}/${container}` : pod;
}

/** A stable colour slot for a label (the same pod keeps its colour between runs). */
export function colourSlot(label: string, slots: number): number {
  let hash = 0;
  for (const char of label) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % slots;
}
