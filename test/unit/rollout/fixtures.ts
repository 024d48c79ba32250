/**
 * Deployments, ReplicaSets, Pods and Events shaped as the API server, the controllers and kubelet
 * produce them (field for field where the rollout reads them), and a replayer that feeds a
 * recorded watch sequence through the reducer.
 */
import type {KubeObject, WatchEventType} from '../../../src/cluster/index.ts';
import type {Condition, ContainerStatus, Deployment, KubeEvent, Pod, PodTemplate, ReplicaSet} from '../../../src/rollout/objects.ts';
import {initialState, reduce, type RolloutEvent, type RolloutState, type WatchedKind} from '../../../src/rollout/state.ts';

export const NAMESPACE = 'acme-dev';
export const NAME = 'web';
export const DEPLOYMENT_UID = '6f1c2a9e-0d5b-4f7a-9a43-2f0f3e1d9b10';
export const T0 = Date.parse('2025-03-04T10:00:00Z');
export const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

const labels = {'app.kubernetes.io/name': 'nodejs', 'app.kubernetes.io/instance': NAME, 'gshift.io/app': NAME, 'gshift.io/tenant': 'acme'};

export interface TemplateShape {
  image?: string;
  readinessProbe?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

export const IMAGE = 'registry.example.org/acme/web:1.4.2';
export const OLD_IMAGE = 'registry.example.org/acme/web:1.4.1';

/** The pod template as the API server stores it (defaulted), with the ReplicaSet's hash label when given. */
export function podTemplate(shape: TemplateShape = {}, hash?: string): PodTemplate {
  return {
    metadata: {labels: hash ? {...labels, 'pod-template-hash': hash} : labels, annotations: shape.annotations},
    spec: {
      containers: [
        {
          name: 'app',
          image: shape.image ?? IMAGE,
          imagePullPolicy: 'IfNotPresent',
          readinessProbe: shape.readinessProbe,
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };
}

export interface DeploymentShape {
  generation?: number;
  observedGeneration?: number;
  replicas?: number;
  status?: {replicas?: number; updated?: number; ready?: number; available?: number};
  revision?: number;
  conditions?: Condition[];
  paused?: boolean;
  template?: TemplateShape;
}

export function deployment(shape: DeploymentShape = {}): Deployment {
  const generation = shape.generation ?? 1;
  const status = shape.status ?? {};
  const replicas = shape.replicas ?? 1;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: NAME,
      namespace: NAMESPACE,
      uid: DEPLOYMENT_UID,
      resourceVersion: String(1000 + generation),
      generation,
      creationTimestamp: iso(-60_000),
      labels,
      annotations: shape.revision ? {'deployment.kubernetes.io/revision': String(shape.revision)} : {},
    },
    spec: {
      replicas,
      paused: shape.paused,
      progressDeadlineSeconds: 600,
      selector: {matchLabels: {'app.kubernetes.io/instance': NAME}},
      template: podTemplate(shape.template),
    },
    status:
      shape.observedGeneration === undefined
        ? {}
        : {
            observedGeneration: shape.observedGeneration,
            replicas: status.replicas,
            updatedReplicas: status.updated,
            readyReplicas: status.ready,
            availableReplicas: status.available,
            unavailableReplicas: Math.max(0, replicas - (status.available ?? 0)) || undefined,
            conditions: shape.conditions ?? [
              {type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${NAME}-7c9d8f5b6d" is progressing.`, lastUpdateTime: iso(0), lastTransitionTime: iso(0)},
            ],
          },
  };
}

export const HASH = '7c9d8f5b6d';
export const OLD_HASH = '5f4b7d9c8a';

/** A ReplicaSet of the Deployment; the old one (OLD_HASH) runs OLD_IMAGE unless `template` says otherwise. */
export function replicaSet(hash = HASH, shape: {revision?: number; replicas?: number; ready?: number; conditions?: Condition[]; template?: TemplateShape} = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${NAME}-${hash}`,
      namespace: NAMESPACE,
      uid: `rs-${hash}`,
      resourceVersion: '2001',
      generation: 1,
      creationTimestamp: iso(hash === HASH ? 0 : -3_600_000),
      labels: {...labels, 'pod-template-hash': hash},
      annotations: {'deployment.kubernetes.io/revision': String(shape.revision ?? (hash === HASH ? 2 : 1)), 'deployment.kubernetes.io/desired-replicas': '1'},
      ownerReferences: [{apiVersion: 'apps/v1', kind: 'Deployment', name: NAME, uid: DEPLOYMENT_UID, controller: true, blockOwnerDeletion: true} as never],
    },
    spec: {replicas: shape.replicas ?? 1, template: podTemplate(shape.template ?? (hash === OLD_HASH ? {image: OLD_IMAGE} : {}), hash)},
    status: {replicas: shape.replicas ?? 1, readyReplicas: shape.ready, availableReplicas: shape.ready, conditions: shape.conditions},
  };
}

export const running = (name = 'app', ready = true, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'registry.example.org/acme/web:1.4.2',
  ready,
  started: true,
  restartCount: 0,
  state: {running: {startedAt: iso(2_000)}},
  ...extra,
});

export const waiting = (reason: string, message: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: 'app',
  image: 'registry.example.org/acme/web:1.4.2',
  ready: false,
  started: false,
  restartCount: 0,
  state: {waiting: {reason, message}},
  ...extra,
});

export function pod(suffix: string, containerStatuses: ContainerStatus[] | undefined, shape: {hash?: string; phase?: 'Pending' | 'Running'; deleting?: boolean; scheduled?: Condition; readinessProbe?: Record<string, unknown>} = {}): Pod {
  const hash = shape.hash ?? HASH;
  const allReady = containerStatuses !== undefined && containerStatuses.every((status) => status.ready);
  const phase = shape.phase ?? (containerStatuses?.some((status) => status.state?.running || status.lastState?.terminated) ? 'Running' : 'Pending');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${NAME}-${hash}-${suffix}`,
      generateName: `${NAME}-${hash}-`,
      namespace: NAMESPACE,
      uid: `pod-${hash}-${suffix}`,
      resourceVersion: '3001',
      creationTimestamp: iso(hash === HASH ? 1_000 : -3_500_000),
      labels: {...labels, 'pod-template-hash': hash},
      ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${NAME}-${hash}`, uid: `rs-${hash}`, controller: true, blockOwnerDeletion: true} as never],
      ...(shape.deleting ? {deletionTimestamp: iso(5_000), deletionGracePeriodSeconds: 30} : {}),
    },
    spec: {nodeName: 'gshift-node-a', containers: [{name: 'app', image: 'registry.example.org/acme/web:1.4.2', readinessProbe: shape.readinessProbe}]},
    status: {
      phase,
      conditions: [
        shape.scheduled ?? {type: 'PodScheduled', status: 'True', lastTransitionTime: iso(1_000)},
        ...(containerStatuses
          ? [
              {type: 'Initialized', status: 'True' as const, lastTransitionTime: iso(1_200)},
              allReady
                ? {type: 'Ready', status: 'True' as const, lastTransitionTime: iso(2_500)}
                : {type: 'Ready', status: 'False' as const, reason: 'ContainersNotReady', message: 'containers with unready status: [app]', lastTransitionTime: iso(1_200)},
            ]
          : []),
      ],
      containerStatuses,
    },
  };
}

export function event(involved: Pod | ReplicaSet | Deployment, reason: string, message: string, shape: {type?: 'Normal' | 'Warning'; at?: number; count?: number; fieldPath?: string; id?: string} = {}): KubeEvent {
  const at = iso(shape.at ?? 3_000);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {name: `${involved.metadata.name}.${shape.id ?? reason.toLowerCase()}`, namespace: NAMESPACE, uid: `event-${involved.metadata.name}-${shape.id ?? reason}`, creationTimestamp: at},
    involvedObject: {kind: involved.kind, name: involved.metadata.name, namespace: NAMESPACE, uid: involved.metadata.uid, fieldPath: shape.fieldPath},
    reason,
    message,
    type: shape.type ?? 'Warning',
    count: shape.count ?? 1,
    firstTimestamp: at,
    lastTimestamp: at,
    source: {component: involved.kind === 'Pod' ? 'kubelet' : involved.kind === 'ReplicaSet' ? 'replicaset-controller' : 'deployment-controller'},
  };
}

export type Step = [WatchEventType, KubeObject] | ['synced', WatchedKind] | ['tick'];

/** Replays a recorded sequence, one second apart unless a number says how long to wait. */
export function replay(steps: Array<Step | number>, state: RolloutState = initialState(NAMESPACE, NAME, T0)): RolloutState {
  let at = state.now;
  for (const step of steps) {
    if (typeof step === 'number') {
      at += step;
      state = reduce(state, {type: 'tick', at});
      continue;
    }
    at += 1000;
    let next: RolloutEvent;
    if (step[0] === 'tick') next = {type: 'tick', at};
    else if (step[0] === 'synced') next = {type: 'synced', kind: step[1], at};
    else next = {type: 'watch', change: step[0], object: step[1], at};
    state = reduce(state, next);
  }
  return state;
}

/** The start of every rollout: the watches list what exists, then report synced. */
export const synced: Step[] = [
  ['synced', 'Deployment'],
  ['synced', 'ReplicaSet'],
  ['synced', 'Pod'],
  ['synced', 'Event'],
];
