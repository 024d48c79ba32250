import type {KubeObject} from '../cluster/index.js';
import type {Deployment, Pod} from '../rollout/objects.js';
import {podReadyText, podRestarts, podStatusText} from '../rollout/pod-failures.js';

/** A Deployment's replica counts, and whether its rollout has finished (kubectl rollout status's rule). */
export interface Replicas {
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** The controller has seen the latest spec, and every replica is updated and available. */
  complete: boolean;
}

export function replicasOf(deployment: Deployment): Replicas {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
  const complete = observed && updated >= desired && (status.replicas ?? 0) <= updated && available >= updated;
  return {desired, updated, ready: status.readyReplicas ?? 0, available, complete};
}

/**
 * Why an app is not healthy, as one clause ("2 of 3 pods ready; web-7f9 is CrashLoopBackOff"),
 * or undefined when it is: rollout complete and no pod failing.
 */
export function unhealthyReason(deployment: Deployment, pods: readonly Pod[]): string | undefined {
  const replicas = replicasOf(deployment);
  const failing = pods.filter((pod) => !pod.metadata.deletionTimestamp).flatMap((pod) => {
    const problem = podProblem(pod);
    return problem ? [[pod.metadata.name, problem] as const] : [];
  });
  if (replicas.complete && failing.length === 0) return undefined;
  const parts: string[] = [];
  if (!replicas.complete) parts.push(`${replicas.available} of ${replicas.desired} replicas available${replicas.updated < replicas.desired ? ', rollout in progress' : ''}`);
  for (const [name, status] of failing.slice(0, 3)) parts.push(`${name} is ${status}`);
  return parts.join('; ');
}

/**
 * What is wrong with a pod, or undefined when it runs and is ready. A crash-looping container is
 * Running (not ready) for a moment between back-offs: that is a problem too, not a healthy pod.
 */
function podProblem(pod: Pod): string | undefined {
  const status = podStatusText(pod);
  if (status !== 'Running') return status;
  const containers = pod.status?.containerStatuses ?? [];
  if (containers.length > 0 && containers.every((container) => container.ready)) return undefined;
  const restarts = podRestarts(pod);
  return `Running (${podReadyText(pod)} ready${restarts > 0 ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : ''})`;
}

/** The app's public URL: a Route's admitted host (else its spec.host), or an Ingress rule's host. */
export function urlOf(exposure: KubeObject | undefined): string | undefined {
  if (!exposure) return undefined;
  const spec = (exposure.spec ?? {}) as {host?: string; tls?: unknown; rules?: {host?: string}[]};
  if (exposure.kind === 'Route') {
    const status = exposure.status as {ingress?: {host?: string}[]} | undefined;
    const host = status?.ingress?.[0]?.host ?? spec.host;
    return host ? `${spec.tls ? 'https' : 'http'}://${host}` : undefined;
  }
  const host = spec.rules?.find((rule) => rule.host)?.host;
  if (host) return `${spec.tls ? 'https' : 'http'}://${host}`;
  const address = (exposure.status as {loadBalancer?: {ingress?: {hostname?: string; ip?: string}[]}} | undefined)?.loadBalancer?.ingress?.[0];
  const fallback = address?.hostname ?? address?.ip;
  return fallback ? `http://${fallback}` : undefined;
}

const DIGEST = /@(sha256:[a-f0-9]{64})$/;

/**
 * The image digest a container runs, from its status imageID. Runtimes spell it
 * `docker-pullable://repo@sha256:…`, `repo@sha256:…` or `sha256:…`; the digest is the last
 * `sha256:` part.
 */
export function digestOfImageId(imageId: string | undefined): string | undefined {
  if (!imageId) return undefined;
  const match = DIGEST.exec(imageId) ?? /^(sha256:[a-f0-9]{64})$/.exec(imageId);
  return match?.[1];
}

/** An image reference without its tag and digest: `quay.io/acme/web:1.2@sha256:…` → `quay.io/acme/web`. */
export function repositoryOf(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** `repository@sha256:…`: the one reference that names exactly the bytes that ran. */
export function pinnedImage(image: string, digest: string): string {
  return `${repositoryOf(image)}@${digest}`;
}
