import type {Cluster} from '../cluster/index.js';
import {APP_LABEL, COMPONENT_LABEL} from '../core/labels.js';
import {notFoundError, usageError} from '../errors.js';
import {requireNamespaceToRead} from '../app/inventory.js';
import {labelSelectorString, type Deployment, type Pod} from '../rollout/objects.js';
import type {WorkloadName} from './request.js';

/** kubectl's annotation naming the container `logs` shows by default. */
const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** The pods whose logs are shown: one Deployment or StatefulSet, found by name. */
export interface Workload {
  kind: 'app' | 'db';
  name: string;
  namespace: string;
  /** "Deployment" or "StatefulSet". */
  controller: string;
  selector: string;
  /** The containers of its pod template, in order. */
  containers: string[];
  /** The one shown unless -c or --all-containers say otherwise. */
  defaultContainer: string;
}

/** A pod as log streaming reads it: which container instance runs, since when, on which node. */
export type LogPod = Pod;

const CONTROLLERS = [
  {apiVersion: 'apps/v1', kind: 'Deployment'},
  {apiVersion: 'apps/v1', kind: 'StatefulSet'},
] as const;

/** The app's (or database's) workload; NOT_FOUND naming what exists when there is none. */
export async function findWorkload(cluster: Cluster, namespace: string, wanted: WorkloadName): Promise<Workload> {
  for (const controller of CONTROLLERS) {
    const found = await cluster.get<Deployment>({...controller, name: wanted.name, namespace});
    if (!found) continue;
    const isDatabase = found.metadata.labels?.[COMPONENT_LABEL] === 'database';
    if (wanted.kind === 'db' && !isDatabase) {
      throw notFoundError(`"${wanted.name}" in namespace "${namespace}" is an app, not a database.`, `run gshift logs ${wanted.name} for its logs.`, {namespace, name: wanted.name});
    }
    const template = found.spec?.template;
    const containers = (template?.spec?.containers ?? []).map((container) => container.name);
    const annotated = template?.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    const selector = labelSelectorString(found.spec?.selector);
    if (!selector) throw usageError(`${controller.kind} ${wanted.name} has no pod selector, so its pods cannot be found.`);
    return {
      kind: wanted.kind,
      name: wanted.name,
      namespace,
      controller: controller.kind,
      selector,
      containers,
      defaultContainer: annotated && containers.includes(annotated) ? annotated : (containers[0] ?? wanted.name),
    };
  }
  const apps = await appNames(cluster, namespace);
  if (apps.length === 0) await requireNamespaceToRead(cluster, namespace);
  const what = wanted.kind === 'app' ? 'app' : 'database';
  throw notFoundError(
    `No ${what} "${wanted.name}" in namespace "${namespace}"${apps.length ? ` (apps and databases there: ${apps.join(', ')})` : ''}.`,
    `gshift app list -n ${namespace} shows the apps and databases there.`,
    {namespace, name: wanted.name, apps},
  );
}

async function appNames(cluster: Cluster, namespace: string): Promise<string[]> {
  const lists = await Promise.all(CONTROLLERS.map((controller) => cluster.list(controller.apiVersion, controller.kind, {namespace, labelSelector: APP_LABEL})));
  return [...new Set(lists.flatMap((list) => list.items.map((item) => item.metadata.labels?.[APP_LABEL] ?? '')).filter(Boolean))].sort();
}

/** The containers whose logs to show; USAGE naming the pods' containers when -c names none of them. */
export function chooseContainers(workload: Workload, pods: LogPod[], container: string | undefined, all: boolean): string[] {
  const known = [...new Set([...workload.containers, ...pods.flatMap((pod) => (pod.spec?.containers ?? []).map((spec) => spec.name))])];
  if (all) return known;
  if (!container) return [workload.defaultContainer];
  if (!known.includes(container)) {
    throw usageError(`The pods of ${workload.name} have no container "${container}"; they have: ${known.join(', ')}.`, `pass -c with one of: ${known.join(', ')}, or --all-containers.`, {containers: known});
  }
  return [container];
}

export interface ContainerInstance {
  /** The runtime's id of the instance running now, or that ran last. */
  id?: string;
  running: boolean;
  /** Has an instance ever started (so there is a log)? */
  started: boolean;
  /** When the running instance started (RFC 3339). */
  startedAt?: string;
  restarts: number;
}

/** Where a container of a pod stands, from the pod's status. */
export function containerInstance(pod: LogPod, container: string): ContainerInstance {
  const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === container);
  return {
    ...(status?.containerID ? {id: status.containerID} : {}),
    running: Boolean(status?.state?.running),
    started: Boolean(status?.state?.running || status?.state?.terminated || status?.lastState?.terminated || (status?.restartCount ?? 0) > 0),
    ...(status?.state?.running?.startedAt ? {startedAt: status.state.running.startedAt} : {}),
    restarts: status?.restartCount ?? 0,
  };
}
