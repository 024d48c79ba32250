// Real resource metrics in the test cluster. metrics-server (a test tool, test/cluster/tools.ts)
// runs beside the control plane, started by kwokctl, and serves metrics.k8s.io through the API
// server's aggregation layer: `kubectl top`, gshift top and the HPA controller read it as they
// would on a real cluster. It scrapes each node's simulated kubelet (kwok) for
// /metrics/resource, where kwok answers from our Metric below with the usage our
// ClusterResourceUsage gives each container: by default a little, or what the pod's annotations
// say, so a test sets a pod's CPU by annotating it.
//
// All nodes are 127.0.0.1 on kwok's one port, so metrics-server could not tell them apart by
// address. It asks each node for the path in the node's metrics.k8s.io/resource-metrics-path
// annotation instead (metrics-server ≥ 0.8), and kwok serves /metrics/nodes/{nodeName}/… as
// that node: every node reports its own pods.
import { join } from 'node:path';
import { clusterDir } from './go.ts';

/** A pod's simulated CPU and memory per container, e.g. `kwok.x-k8s.io/usage-cpu: 90m`. */
export const USAGE_CPU_ANNOTATION = 'kwok.x-k8s.io/usage-cpu';
export const USAGE_MEMORY_ANNOTATION = 'kwok.x-k8s.io/usage-memory';
/** What a container uses when its pod says nothing: idle, but not zero. */
export const DEFAULT_USAGE = { cpu: '5m', memory: '24Mi' } as const;

/** kwok reads these kinds from the API (CRDs), so the harness and tests can write them. */
export const METRICS_CRDS = ['Metric', 'ClusterResourceUsage', 'ResourceUsage'];

const RESOURCE_METRICS_PATH_ANNOTATION = 'metrics.k8s.io/resource-metrics-path';
const METRICS_PATH = '/metrics/nodes/{nodeName}/metrics/resource';

/** The kwokctl options that run metrics-server from our binary and our manifests (no download). */
export function metricsServerOptions(binary: string): Record<string, unknown> {
  return {
    enableMetricsServer: true,
    metricsServerBinary: binary,
    // A local kustomize directory: kwokctl builds it with kubectl; a URL would be fetched.
    metricsServerManifests: [join(clusterDir, 'metrics-server')],
  };
}

/** metrics-server's flags beside kwokctl's: a fresh value every 10 s (its minimum), so an HPA reacts sooner. */
export const METRICS_SERVER_ARGS = [
  { key: 'metric-resolution', value: '10s', override: true },
  // It must stay under 90% of the resolution.
  { key: 'kubelet-request-timeout', value: '5s' },
];

/**
 * The API server tells an aggregated API server who the user is in request headers, signed by
 * the client CA: metrics-server then authorizes the user (view rights on the namespace), not the
 * API server's proxy identity. kwokctl sets the proxy's client certificate but not these.
 */
export function aggregationArgs(pkiDir: string) {
  return [
    { key: 'requestheader-client-ca-file', value: join(pkiDir, 'ca.crt') },
    // The proxy's certificate (kwokctl's admin one): the same CA signs users' certificates, so
    // only this name may say who the user is.
    { key: 'requestheader-allowed-names', value: 'kwok-admin' },
    { key: 'requestheader-username-headers', value: 'X-Remote-User' },
    { key: 'requestheader-group-headers', value: 'X-Remote-Group' },
    { key: 'requestheader-extra-headers-prefix', value: 'X-Remote-Extra-' },
  ];
}

export function nodeMetricsAnnotations(node: string): Record<string, string> {
  return { [RESOURCE_METRICS_PATH_ANNOTATION]: METRICS_PATH.replace('{nodeName}', node) };
}

const perContainer = [
  { name: 'container', value: 'container.name' },
  { name: 'namespace', value: 'pod.metadata.namespace' },
  { name: 'pod', value: 'pod.metadata.name' },
];

const usageOf = (resource: 'cpu' | 'memory', annotation: string) =>
  `"${annotation}" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["${annotation}"]) : Quantity("${DEFAULT_USAGE[resource]}")`;

/** The objects kwok and the metrics API need, applied by the harness with the CRDs. */
export function metricsObjects(): object[] {
  return [
    {
      // What kubelet's /metrics/resource says and metrics-server reads: cumulative CPU and the
      // working set, per container and per node, and when each container started.
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Metric',
      metadata: { name: 'kubelet-resource' },
      spec: {
        path: METRICS_PATH,
        metrics: [
          { name: 'node_cpu_usage_seconds_total', help: 'Cumulative CPU time of the node in core-seconds', kind: 'counter', dimension: 'node', value: 'node.CumulativeUsage("cpu")' },
          { name: 'node_memory_working_set_bytes', help: 'Working set of the node in bytes', kind: 'gauge', dimension: 'node', value: 'node.Usage("memory")' },
          { name: 'container_cpu_usage_seconds_total', help: 'Cumulative CPU time of the container in core-seconds', kind: 'counter', dimension: 'container', labels: perContainer, value: 'pod.CumulativeUsage("cpu", container.name)' },
          { name: 'container_memory_working_set_bytes', help: 'Working set of the container in bytes', kind: 'gauge', dimension: 'container', labels: perContainer, value: 'pod.Usage("memory", container.name)' },
          { name: 'container_start_time_seconds', help: 'Start time of the container since the epoch in seconds', kind: 'gauge', dimension: 'container', labels: perContainer, value: 'pod.metadata.creationTimestamp.UnixSecond()' },
        ],
      },
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterResourceUsage',
      metadata: { name: 'usage-from-annotations' },
      spec: {
        usages: [{ usage: { cpu: { expression: usageOf('cpu', USAGE_CPU_ANNOTATION) }, memory: { expression: usageOf('memory', USAGE_MEMORY_ANNOTATION) } } }],
      },
    },
    {
      // As metrics-server's own install grants it: whoever may view a namespace may read its metrics.
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: {
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
        },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
  ];
}

export const METRICS_API_SERVICE = 'apiservice/v1beta1.metrics.k8s.io';
