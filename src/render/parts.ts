import type {KubeObject} from './template.js';

/** The optional objects gshift composes around a stack's own, each a plain manifest. */

type Json = Record<string, any>;

/** The Service port that Route and Ingress point at: its name when it has one. */
export function servicePort(service: KubeObject): string | number | undefined {
  const port = (service.spec as Json | undefined)?.ports?.[0];
  return port?.name ?? port?.port;
}

/** OpenShift: a Route with edge TLS on the router's certificate, HTTP redirected to HTTPS. */
export function route(name: string, service: KubeObject, host?: string): KubeObject {
  return {
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: {name},
    spec: {
      ...(host ? {host} : {}),
      to: {kind: 'Service', name: service.metadata.name, weight: 100},
      port: {targetPort: servicePort(service)},
      tls: {termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect'},
      wildcardPolicy: 'None',
    },
  };
}

/** Kubernetes: an Ingress for the cluster's default ingress class. */
export function ingress(name: string, service: KubeObject, host?: string): KubeObject {
  const port = servicePort(service);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {name},
    spec: {
      rules: [
        {
          ...(host ? {host} : {}),
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {service: {name: service.metadata.name, port: typeof port === 'number' ? {number: port} : {name: port}}},
              },
            ],
          },
        },
      ],
    },
  };
}

/** What an app's autoscaler keeps: replicas between min and max, targets as % of the pods' requests. */
export interface AutoscaleSettings {
  min: number;
  max: number;
  /** Average CPU utilisation to aim for, in % of the CPU request. */
  cpu?: number;
  /** Average memory utilisation to aim for, in % of the memory request. */
  memory?: number;
}

/** The platform's autoscaler in high-availability environments: CPU at 75% of requests, from the HA minimum to a few more. */
export function defaultAutoscale(minReplicas: number): AutoscaleSettings {
  return {min: minReplicas, max: Math.max(minReplicas * 2, minReplicas + 2), cpu: DEFAULT_CPU_TARGET};
}

export const DEFAULT_CPU_TARGET = 75;

/**
 * Scale-down is where autoscalers flap: a short dip in load would remove pods that the next
 * peak needs again. Scale-down waits for 5 minutes of lower recommendations and then removes
 * at most half the pods a minute; scale-up reacts at once (doubling, or 4 pods, per 15 s).
 */
export const AUTOSCALE_BEHAVIOR = {
  scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{type: 'Percent', value: 100, periodSeconds: 15}, {type: 'Pods', value: 4, periodSeconds: 15}]},
  scaleDown: {stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{type: 'Percent', value: 50, periodSeconds: 60}]},
};

/** An autoscaling/v2 HPA for the workload; CPU and memory requests are always set (a standard). */
export function autoscaler(workload: KubeObject, settings: AutoscaleSettings): KubeObject {
  const target = (name: 'cpu' | 'memory', utilization: number | undefined) =>
    utilization === undefined ? [] : [{type: 'Resource', resource: {name, target: {type: 'Utilization', averageUtilization: utilization}}}];
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {name: workload.metadata.name},
    spec: {
      scaleTargetRef: {apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name},
      minReplicas: settings.min,
      maxReplicas: settings.max,
      metrics: [...target('cpu', settings.cpu), ...target('memory', settings.memory)],
      behavior: AUTOSCALE_BEHAVIOR,
    },
  };
}

/** A node drain takes one pod at a time, so at least one keeps serving. */
export function disruptionBudget(workload: KubeObject): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {name: workload.metadata.name},
    spec: {maxUnavailable: 1, selector: (workload.spec as Json).selector},
  };
}

/**
 * A volume claim for an app's own data. More than one replica needs a volume every node can
 * mount at once (ReadWriteMany); a single replica takes the common ReadWriteOnce.
 */
export function volumeClaim(name: string, size: string, replicas: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name},
    spec: {accessModes: [replicas > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'], resources: {requests: {storage: size}}},
  };
}

export function mountVolumeClaim(workload: KubeObject, claim: string, mountPath: string): void {
  const pod = (workload.spec as Json).template.spec as Json;
  (pod.volumes ??= []).push({name: 'data', persistentVolumeClaim: {claimName: claim}});
  (pod.containers[0].volumeMounts ??= []).push({name: 'data', mountPath});
}

/** The app's environment variables, as a ConfigMap the main container reads whole. */
export function environmentConfigMap(name: string, variables: Record<string, string>): KubeObject {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}, data: {...variables}};
}

/** envFrom, plus a hash of the data on the pod template: changing a variable rolls the pods. */
export function useConfigMap(workload: KubeObject, configMap: KubeObject): void {
  const template = (workload.spec as Json).template as Json;
  const container = template.spec.containers[0] as Json;
  (container.envFrom ??= []).push({configMapRef: {name: configMap.metadata.name}});
  const {createHash} = process.getBuiltinModule('node:crypto');
  const hash = createHash('sha256').update(JSON.stringify(configMap.data)).digest('hex').slice(0, 16);
  template.metadata ??= {};
  template.metadata.annotations = {...template.metadata.annotations, 'gshift.io/config-hash': hash};
}

// Objects that others refer to come first, so one apply pass never points at something missing.
const APPLY_ORDER = ['Namespace', 'ServiceAccount', 'Role', 'RoleBinding', 'NetworkPolicy', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Service'];
const LAST = ['Route', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'];

export function inApplyOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (object: KubeObject) => {
    const early = APPLY_ORDER.indexOf(object.kind);
    if (early !== -1) return early;
    const late = LAST.indexOf(object.kind);
    return late === -1 ? APPLY_ORDER.length : APPLY_ORDER.length + 1 + late;
  };
  return objects.map((object, index) => ({object, index})).sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index).map(({object}) => object);
}
