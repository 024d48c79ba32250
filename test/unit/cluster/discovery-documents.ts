/** Discovery documents as a v1.36 API server sends them, for the fake server. */

interface Served {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export const CORE_AND_APPS: Served[] = [
  {group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false},
  {group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true},
  {group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true},
  {group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true},
];

export const OPENSHIFT_ROUTES: Served[] = [{group: 'route.openshift.io', version: 'v1', kind: 'Route', plural: 'routes', namespaced: true}];

/** APIGroupDiscoveryList for /api (core) or /apis (named groups). */
export function aggregated(served: Served[], core: boolean) {
  const groups = new Map<string, Map<string, Served[]>>();
  for (const entry of served.filter((item) => (item.group === '') === core)) {
    const versions = groups.get(entry.group) ?? new Map<string, Served[]>();
    versions.set(entry.version, [...(versions.get(entry.version) ?? []), entry]);
    groups.set(entry.group, versions);
  }
  return {
    apiVersion: 'apidiscovery.k8s.io/v2',
    kind: 'APIGroupDiscoveryList',
    metadata: {},
    items: [...groups].map(([group, versions]) => ({
      metadata: core ? {creationTimestamp: null} : {name: group, creationTimestamp: null},
      versions: [...versions].map(([version, resources]) => ({
        version,
        freshness: 'Current',
        resources: resources.map((resource) => ({
          resource: resource.plural,
          responseKind: {group: resource.group, version: resource.version, kind: resource.kind},
          scope: resource.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: resource.kind.toLowerCase(),
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
          subresources: resource.kind === 'Deployment' ? [{subresource: 'status', responseKind: {group: 'apps', version: 'v1', kind: 'Deployment'}, verbs: ['get']}] : undefined,
        })),
      })),
    })),
  };
}

/** APIResourceList for one group/version (classic discovery). */
export function resourceList(served: Served[], groupVersion: string) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: served
      .filter((item) => (item.group ? `${item.group}/${item.version}` : item.version) === groupVersion)
      .flatMap((item) => [
        {name: item.plural, singularName: '', namespaced: item.namespaced, kind: item.kind, verbs: ['get', 'list']},
        {name: `${item.plural}/status`, singularName: '', namespaced: item.namespaced, kind: item.kind, verbs: ['get']},
      ]),
  };
}
