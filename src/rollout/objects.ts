/**
 * The fields of Deployments, ReplicaSets, Pods and Events that a rollout reads, as the API server
 * sends them. Only what the reducer and the diagnosis use is typed; the rest passes through.
 */
import type {KubeObject, ObjectMeta} from '../cluster/index.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface Meta extends ObjectMeta {
  name: string;
  uid?: string;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface Probe {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  [field: string]: unknown;
}

export interface ContainerSpec {
  name: string;
  image?: string;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  [field: string]: unknown;
}

export interface PodTemplate {
  metadata?: {labels?: Record<string, string>; annotations?: Record<string, string>};
  spec?: {containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; [field: string]: unknown};
}

export interface Deployment extends KubeObject {
  metadata: Meta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
    selector?: LabelSelector;
    template?: PodTemplate;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface ReplicaSet extends KubeObject {
  metadata: Meta;
  spec?: {replicas?: number; template?: PodTemplate};
  status?: {replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[]};
}

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}

export interface ContainerStateTerminated {
  exitCode?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: {startedAt?: string};
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  /** false while a startup probe has not passed yet. */
  started?: boolean;
  restartCount?: number;
  /** The runtime's id of the current (or last) instance. */
  containerID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod extends KubeObject {
  metadata: Meta;
  spec?: {containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; nodeName?: string; [field: string]: unknown};
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** A core/v1 Event (what kubelet, the scheduler and the controllers record). */
export interface KubeEvent extends KubeObject {
  metadata: Meta;
  involvedObject?: {kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string};
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning' | string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: {count?: number; lastObservedTime?: string};
}

export const conditionOf = (conditions: Condition[] | undefined, type: string): Condition | undefined =>
  conditions?.find((condition) => condition.type === type);

/** The controlling owner's uid: how a Pod names its ReplicaSet and a ReplicaSet its Deployment. */
export const controllerUid = (meta: Meta): string | undefined =>
  (meta.ownerReferences?.find((owner) => owner.controller) ?? meta.ownerReferences?.[0])?.uid;

/** When an Event last happened: kubelet and controllers fill different fields. */
export function eventTime(event: KubeEvent): string | undefined {
  return event.series?.lastObservedTime ?? event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp ?? undefined;
}

/** The selector string a list or watch takes, from a Deployment's spec.selector. */
export function labelSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? []) {
    const values = (requirement.values ?? []).join(',');
    if (requirement.operator === 'In') parts.push(`${requirement.key} in (${values})`);
    else if (requirement.operator === 'NotIn') parts.push(`${requirement.key} notin (${values})`);
    else if (requirement.operator === 'Exists') parts.push(requirement.key);
    else parts.push(`!${requirement.key}`);
  }
  return parts.join(',');
}
