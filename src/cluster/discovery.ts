import {GshiftError} from '../errors.js';
import type {ApiResource, Discovery, Platform} from './index.js';
import type {Transport} from './transport.js';

/** Asks for aggregated discovery (two requests for everything, Kubernetes ≥ 1.26), falling back to the classic documents. */
const AGGREGATED = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

interface AggregatedResource {
  resource: string;
  responseKind?: {group?: string; version?: string; kind?: string};
  scope?: 'Namespaced' | 'Cluster';
  verbs?: string[];
}

interface AggregatedList {
  kind: 'APIGroupDiscoveryList';
  items?: {metadata?: {name?: string}; versions?: {version: string; resources?: AggregatedResource[]}[]}[];
}

interface ClassicResourceList {
  groupVersion?: string;
  resources?: {name: string; kind: string; namespaced: boolean; verbs?: string[]}[];
}

/** group/version as apiVersion spells it: "v1" for the core group. */
export const groupVersionOf = (group: string, version: string) => (group ? `${group}/${version}` : version);

export function splitApiVersion(apiVersion: string): {group: string; version: string} {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? {group: '', version: apiVersion} : {group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1)};
}

/** Resources of an aggregated discovery document (subresources are left out). */
export function parseAggregatedDiscovery(list: AggregatedList): ApiResource[] {
  return (list.items ?? []).flatMap((group) =>
    (group.versions ?? []).flatMap((version) =>
      (version.resources ?? [])
        .filter((resource) => resource.responseKind?.kind)
        .map((resource) => ({
          group: group.metadata?.name ?? '',
          version: version.version,
          kind: resource.responseKind!.kind!,
          plural: resource.resource,
          namespaced: resource.scope === 'Namespaced',
          verbs: resource.verbs ?? [],
        })),
    ),
  );
}

/** Resources of a classic APIResourceList (names with "/" are subresources and left out). */
export function parseResourceList(list: ClassicResourceList): ApiResource[] {
  const {group, version} = splitApiVersion(list.groupVersion ?? '');
  return (list.resources ?? [])
    .filter((resource) => !resource.name.includes('/'))
    .map((resource) => ({group, version, kind: resource.kind, plural: resource.name, namespaced: resource.namespaced, verbs: resource.verbs ?? []}));
}

/**
 * Kinds every API server serves at the same URLs (core v1 and apps/v1, stable since Kubernetes
 * 1.9): known without asking, so the first requests of a command need not wait for discovery.
 */
const BUILT_IN = new Map<string, ApiResource>(
  (
    [
      ['', 'Namespace', 'namespaces', false],
      ['', 'Pod', 'pods', true],
      ['', 'Service', 'services', true],
      ['', 'ConfigMap', 'configmaps', true],
      ['', 'Secret', 'secrets', true],
      ['', 'Event', 'events', true],
      ['', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
      ['', 'ServiceAccount', 'serviceaccounts', true],
      ['apps', 'Deployment', 'deployments', true],
      ['apps', 'ReplicaSet', 'replicasets', true],
      ['apps', 'StatefulSet', 'statefulsets', true],
    ] as const
  ).map(([group, kind, plural, namespaced]) => [`${group ? `${group}/v1` : 'v1'}|${kind}`, {group, version: 'v1', kind, plural, namespaced, verbs: []}]),
);

/** A built-in kind's resource (see BUILT_IN), or undefined for any other kind. */
export function builtInResource(apiVersion: string, kind: string): ApiResource | undefined {
  return BUILT_IN.get(`${apiVersion}|${kind}`);
}

/** What the server serves at one moment: answers Discovery questions without further requests. */
export class DiscoverySnapshot implements Discovery {
  private readonly served: Set<string>;
  private readonly byKind = new Map<string, ApiResource>();

  constructor(resources: ApiResource[], groupVersions: string[] = []) {
    this.served = new Set(groupVersions);
    for (const resource of resources) {
      const apiVersion = groupVersionOf(resource.group, resource.version);
      this.served.add(apiVersion);
      const key = `${apiVersion}|${resource.kind}`;
      if (!this.byKind.has(key)) this.byKind.set(key, resource);
    }
  }

  has(groupVersion: string): boolean {
    return this.served.has(groupVersion);
  }

  hasKind(apiVersion: string, kind: string): boolean {
    return this.byKind.has(`${apiVersion}|${kind}`);
  }

  resource(apiVersion: string, kind: string): ApiResource | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }

  isNamespaced(apiVersion: string, kind: string): boolean {
    const resource = this.resource(apiVersion, kind);
    if (!resource) throw notServed(apiVersion, kind);
    return resource.namespaced;
  }

  platform(): Platform {
    return this.has('route.openshift.io/v1') ? 'openshift' : 'kubernetes';
  }

  groupVersions(): string[] {
    return [...this.served].sort();
  }
}

export function notServed(apiVersion: string, kind: string): GshiftError {
  return new GshiftError('NOT_FOUND', `The cluster does not serve ${kind} (${apiVersion}).`, {
    hint: 'check the apiVersion and kind, or install the operator that provides them.',
    details: {apiVersion, kind},
  });
}

/** Fetches discovery: aggregated when the server offers it, else /api, /apis and one request per group/version. */
export async function fetchDiscovery(transport: Transport): Promise<DiscoverySnapshot> {
  const [core, groups] = await Promise.all([
    transport.json<AggregatedList | {versions?: string[]}>({method: 'GET', path: '/api', accept: AGGREGATED}),
    transport.json<AggregatedList | {groups?: {versions?: {groupVersion: string}[]}[]}>({method: 'GET', path: '/apis', accept: AGGREGATED}),
  ]);
  if (isAggregated(core.body) && isAggregated(groups.body)) {
    return new DiscoverySnapshot([...parseAggregatedDiscovery(core.body), ...parseAggregatedDiscovery(groups.body)]);
  }
  const groupVersions = [
    ...((core.body as {versions?: string[]}).versions ?? []),
    ...((groups.body as {groups?: {versions?: {groupVersion: string}[]}[]}).groups ?? []).flatMap((group) => (group.versions ?? []).map((version) => version.groupVersion)),
  ];
  // A group whose aggregated API server is down (metrics.k8s.io, say) must not break every command: kubectl skips it too.
  const lists = await Promise.all(
    groupVersions.map((groupVersion) =>
      transport
        .json<ClassicResourceList>({method: 'GET', path: groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`})
        .then((answer) => parseResourceList({groupVersion, ...answer.body}))
        .catch(() => []),
    ),
  );
  return new DiscoverySnapshot(lists.flat(), groupVersions);
}

function isAggregated(body: unknown): body is AggregatedList {
  return (body as {kind?: string} | undefined)?.kind === 'APIGroupDiscoveryList';
}
