import type {GshiftError} from '../errors.js';
import {objectKey} from '../core/object-key.js';
import {ApiStatusError, toClusterError} from './api-errors.js';
import {FIELD_MANAGER, applyObjects} from './apply.js';
import {DiscoverySnapshot, builtInResource, fetchDiscovery, notServed} from './discovery.js';
import type {
  ApiResource,
  ApplyOptions,
  ApplyOutcome,
  Cluster,
  ClusterOptions,
  DeleteOptions,
  ExecOptions,
  ExecResult,
  KubeObject,
  ListOptions,
  ListResult,
  LogOptions,
  ObjectRef,
  PatchType,
  PortForwardOptions,
  PortForwardTunnel,
  RawRequest,
  ServerVersion,
  WatchOptions,
  WriteOptions,
} from './index.js';
import {resolveKubeconfig, type ResolvedKubeconfig} from './kubeconfig.js';
import {logLines, readLogs, streamLogs} from './logs.js';
import {resourcePath} from './paths.js';
import {readServerVersion} from './server-version.js';
import {Transport, type HttpRequest, type HttpResponse} from './transport.js';
import {nativeWire, needsClientNode} from './wire.js';
import {watchResource} from './watch.js';

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // JSON is YAML.
  apply: 'application/apply-patch+yaml',
};

const LIST_PAGE = 500;

export async function openCluster(options: ClusterOptions): Promise<Cluster> {
  const resolved = resolveKubeconfig(options);
  // client-node only for the credentials that need it: loading it costs more than most commands.
  const wire = needsClientNode(resolved) ? await (await import('./client-node-wire.js')).clientNodeWire(resolved) : nativeWire(resolved);
  return new KubeCluster(resolved, new Transport(wire, resolved.cluster.server, options.requestTimeout ?? 60_000));
}

/** The Cluster interface over one Transport. Each method maps its failures with toClusterError. */
export class KubeCluster implements Cluster {
  readonly context: string;
  readonly server: string;
  readonly user: string;
  readonly contextNamespace?: string;
  readonly namespace: string;
  readonly sources: string[];
  private discovered?: Promise<DiscoverySnapshot>;
  /** GETs sent ahead (readAhead), by objectKey, until a get takes them. */
  private readonly readsAhead = new Map<string, Promise<KubeObject | undefined>>();
  /** Whether the server refused to stream a watch's initial state (see watchResource). */
  private readonly watchList: {refused?: boolean} = {};

  constructor(
    resolved: ResolvedKubeconfig,
    private readonly transport: Transport,
  ) {
    this.context = resolved.contextName;
    this.server = resolved.cluster.server;
    this.user = resolved.user.name;
    this.contextNamespace = resolved.contextNamespace;
    this.namespace = resolved.namespace;
    this.sources = resolved.sources;
  }

  /**
   * GET /version: proves the server is reachable, accepts the credentials and is a Kubernetes
   * API server. A web console or any other HTTPS site answers too, with 404 or a page: that is
   * named as such, not as a missing object.
   */
  serverVersion(): Promise<ServerVersion> {
    return readServerVersion(this.transport, this, (error) => this.fail(error, 'report its version'));
  }

  discovery(options: {refresh?: boolean} = {}): Promise<DiscoverySnapshot> {
    if (!this.discovered || options.refresh) {
      const discovered = fetchDiscovery(this.transport).catch((error: unknown) => {
        if (this.discovered === discovered) this.discovered = undefined;
        throw this.fail(error, 'list its APIs');
      });
      this.discovered = discovered;
    }
    return this.discovered;
  }

  /**
   * The resource for a kind: a built-in kind's without a request, any other from discovery,
   * fetched again once when the kind is unknown (a CRD installed meanwhile).
   */
  async locate(apiVersion: string, kind: string): Promise<ApiResource> {
    const builtIn = builtInResource(apiVersion, kind);
    if (builtIn) return builtIn;
    const found = (await this.discovery()).resource(apiVersion, kind) ?? (await this.discovery({refresh: true})).resource(apiVersion, kind);
    if (!found) throw notServed(apiVersion, kind);
    return found;
  }

  apply(objects: KubeObject[], options?: ApplyOptions): Promise<ApplyOutcome[]> {
    return applyObjects(this, objects, options);
  }

  async get<T = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const key = objectKey(ref);
    const early = this.readsAhead.get(key);
    if (early) {
      this.readsAhead.delete(key);
      return (await early) as T | undefined;
    }
    return (await this.read(ref)) as T | undefined;
  }

  readAhead(refs: readonly ObjectRef[]): void {
    for (const ref of refs) {
      const reading = this.read(ref);
      reading.catch(() => {}); // the get that takes it reports the failure
      this.readsAhead.set(objectKey(ref), reading);
    }
  }

  private async read(ref: ObjectRef): Promise<KubeObject | undefined> {
    const {path, scoped} = await this.objectPath(ref);
    return this.getAt(path, scoped);
  }

  /** GET by path; undefined on 404. */
  async getAt(path: string, ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.transport.json<KubeObject>({method: 'GET', path})).body;
    } catch (error) {
      if (error instanceof ApiStatusError && error.status === 404) return undefined;
      throw this.fail(error, 'get', ref);
    }
  }

  async list<T = KubeObject>(apiVersion: string, kind: string, options: ListOptions = {}): Promise<ListResult<T>> {
    const resource = await this.locate(apiVersion, kind);
    const namespace = resource.namespaced && !options.allNamespaces ? (options.namespace ?? this.namespace) : undefined;
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const page = await this.call<{items?: T[]; metadata?: {resourceVersion?: string; continue?: string}}>(
        {
          method: 'GET',
          path: resourcePath(resource, namespace),
          query: {labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: LIST_PAGE, continue: continueToken},
        },
        'list',
        {apiVersion, kind, namespace},
      );
      // Items of a list carry no apiVersion and kind; callers should not have to know that.
      items.push(...(page.body.items ?? []).map((item) => ({apiVersion, kind, ...item})));
      resourceVersion = page.body.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.body.metadata?.continue || undefined;
    } while (continueToken);
    return {items, resourceVersion};
  }

  async create<T = KubeObject>(object: KubeObject, options: WriteOptions = {}): Promise<T> {
    const ref = {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name ?? object.metadata?.generateName ?? '', namespace: object.metadata?.namespace};
    const {resource, scoped} = await this.objectPath({...ref, name: ''});
    const path = resourcePath(resource, scoped.namespace);
    const body = {...object, metadata: {...object.metadata, namespace: scoped.namespace}};
    return (await this.call<T>({method: 'POST', path, body: JSON.stringify(body), query: writeQuery(options)}, 'create', {...ref, namespace: scoped.namespace})).body;
  }

  async createSubresource<T = KubeObject>(ref: ObjectRef, subresource: string, body: unknown, options: WriteOptions = {}): Promise<T> {
    const {path, scoped} = await this.objectPath(ref, subresource);
    return (await this.call<T>({method: 'POST', path, body: JSON.stringify(body), query: writeQuery(options)}, `create ${subresource} for`, scoped)).body;
  }

  async replace<T = KubeObject>(object: KubeObject, options: WriteOptions = {}): Promise<T> {
    const {path, scoped} = await this.objectPath({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace: object.metadata.namespace});
    const body = {...object, metadata: {...object.metadata, namespace: scoped.namespace}};
    return (await this.call<T>({method: 'PUT', path, body: JSON.stringify(body), query: writeQuery(options)}, 'update', scoped)).body;
  }

  async patch<T = KubeObject>(ref: ObjectRef, patch: unknown, options: WriteOptions & {type?: PatchType; subresource?: string; force?: boolean} = {}): Promise<T> {
    const {path, scoped} = await this.objectPath(ref, options.subresource);
    const query = {...writeQuery(options), ...(options.force ? {force: 'true'} : {})};
    const request = {method: 'PATCH' as const, path, body: JSON.stringify(patch), contentType: PATCH_TYPES[options.type ?? 'merge'], query};
    return (await this.call<T>(request, 'patch', scoped)).body;
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const {path, scoped} = await this.objectPath(ref);
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: options.propagation,
      gracePeriodSeconds: options.gracePeriodSeconds,
      dryRun: options.dryRun ? ['All'] : undefined,
    };
    try {
      await this.transport.json({method: 'DELETE', path, body: JSON.stringify(body)});
      return true;
    } catch (error) {
      if (error instanceof ApiStatusError && error.status === 404) return false;
      throw this.fail(error, 'delete', scoped);
    }
  }

  async watch(apiVersion: string, kind: string, options: WatchOptions): Promise<void> {
    const resource = await this.locate(apiVersion, kind);
    const namespace = resource.namespaced && !options.allNamespaces ? (options.namespace ?? this.namespace) : undefined;
    return watchResource(
      {
        list: (version, listKind, listOptions) => this.list(version, listKind, listOptions),
        sendRaw: (request) => this.sendRaw(request),
        fail: (error, verb, failedKind, failedNamespace) => this.fail(error, verb, {apiVersion, kind: failedKind, namespace: failedNamespace}),
        watchList: this.watchList,
      },
      resource,
      apiVersion,
      {...options, namespace},
    );
  }

  streamLogs(namespace: string, pod: string, container: string | undefined, options: LogOptions, out: NodeJS.WritableStream): Promise<void> {
    return streamLogs(this.logAccess(), namespace, pod, container, options, out);
  }

  readLogs(namespace: string, pod: string, container: string | undefined, options?: Omit<LogOptions, 'follow'>): Promise<string> {
    return readLogs(this.logAccess(), namespace, pod, container, options);
  }

  logLines(namespace: string, pod: string, container: string, options: LogOptions): AsyncIterable<string[]> {
    return logLines(this.logAccess(), namespace, pod, container, options);
  }

  async exec(namespace: string, pod: string, options: ExecOptions): Promise<ExecResult> {
    const {execInPod} = await import('./exec.js');
    return execInPod(this.streamAccess(), namespace, pod, options);
  }

  async portForward(namespace: string, pod: string, port: number, options?: PortForwardOptions): Promise<PortForwardTunnel> {
    const {forwardPort} = await import('./port-forward.js');
    return forwardPort(this.streamAccess(), namespace, pod, port, options);
  }

  async request<T = unknown>(request: RawRequest): Promise<T> {
    const {verb, ref, body, ...rest} = request;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return (await this.call<T>({...rest, body: payload}, verb ?? request.method.toLowerCase(), ref)).body;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** For apply: a PATCH whose headers (Warning) and status (201) matter. */
  async send(request: HttpRequest, verb: string, ref: ObjectRef): Promise<HttpResponse> {
    try {
      return await this.transport.send(request);
    } catch (error) {
      throw this.fail(error, verb, ref);
    }
  }

  private sendRaw(request: HttpRequest): Promise<HttpResponse> {
    return this.transport.send(request);
  }

  private logAccess() {
    return {sendRaw: (request: HttpRequest) => this.sendRaw(request), failRef: (error: unknown, verb: string, ref: ObjectRef) => this.fail(error, verb, ref)};
  }

  private streamAccess() {
    return {upgrade: (request: Parameters<Transport['upgrade']>[0]) => this.transport.upgrade(request), failRef: (error: unknown, verb: string, ref: ObjectRef) => this.fail(error, verb, ref)};
  }

  private async call<T>(request: HttpRequest, verb: string, ref?: Partial<ObjectRef>): Promise<{body: T; headers: Record<string, string>}> {
    try {
      return await this.transport.json<T>(request);
    } catch (error) {
      throw this.fail(error, verb, ref);
    }
  }

  private async objectPath(ref: ObjectRef, subresource?: string): Promise<{path: string; resource: ApiResource; scoped: ObjectRef}> {
    const resource = await this.locate(ref.apiVersion, ref.kind);
    const namespace = resource.namespaced ? (ref.namespace ?? this.namespace) : undefined;
    return {resource, path: resourcePath(resource, namespace, ref.name || undefined, subresource), scoped: {...ref, namespace}};
  }

  private fail(error: unknown, verb: string, ref?: Partial<ObjectRef>): GshiftError {
    return toClusterError(error, {verb, ref, server: this.server});
  }
}

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return {fieldManager: options.fieldManager ?? FIELD_MANAGER, dryRun: options.dryRun ? 'All' : undefined};
}
