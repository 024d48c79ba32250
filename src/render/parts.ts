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

/** Scales on CPU between the HA minimum and a few more; CPU requests are always set (a standard). */
export function autoscaler(workload: KubeObject, minReplicas: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {name: workload.metadata.name},
    spec: {
      scaleTargetRef: {apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name},
      minReplicas,
      maxReplicas: Math.max(minReplicas * 2, minReplicas + 2),
      metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 75}}}],
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
