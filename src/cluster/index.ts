/**
 * How gshift talks to Kubernetes: the one interface the services (app, tenant, db, …) use.
 *
 * Importing this module is cheap: @kubernetes/client-node (≈0.7–1 s to import) is loaded by
 * `connect()` only, so commands that never reach the cluster never pay for it. Everything here
 * is generic Kubernetes — no tenants or stacks — like Helm's pkg/kube.Interface.
 */
export {toClusterError, describeRef, type ErrorContext} from './api-errors.js';

/** Abort reason for Cluster.logLines: the stream stalled (see there). */
export const LOG_STALLED = 'stalled';

/** Which cluster to talk to, as the user asked on the command line (see `clusterFlags`). */
export interface ClusterOptions {
  /** --kubeconfig: one file; wins over $KUBECONFIG (as in kubectl). */
  kubeconfig?: string;
  /** --context: a context name from the kubeconfig; default its current-context. */
  context?: string;
  /** --namespace: overrides the context's namespace as the default for namespaced objects. */
  namespace?: string;
  /** Milliseconds a single non-streaming request may take before it fails as UNREACHABLE (default 60 s). */
  requestTimeout?: number;
  /** The environment to read KUBECONFIG, HOME and KUBERNETES_SERVICE_* from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Where a pod's service account is mounted (default the standard path; tests pass their own). */
  serviceAccountDir?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** Any Kubernetes object, as JSON: gshift does not depend on generated model classes. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Names one object. `namespace` is ignored for cluster-scoped kinds and defaults to `Cluster.namespace` for namespaced ones. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ServerVersion {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
}

export type Platform = 'openshift' | 'kubernetes';

/** One served resource type, from API discovery. */
export interface ApiResource {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The plural used in URLs, e.g. "deployments". */
  plural: string;
  namespaced: boolean;
  verbs: string[];
}

/** What the API server serves; fetched once per `Cluster` and cached for the run. */
export interface Discovery {
  /** Is this group/version served? e.g. has('route.openshift.io/v1'), has('postgresql.cnpg.io/v1'). */
  has(groupVersion: string): boolean;
  hasKind(apiVersion: string, kind: string): boolean;
  resource(apiVersion: string, kind: string): ApiResource | undefined;
  /** Throws NOT_FOUND when the kind is not served. */
  isNamespaced(apiVersion: string, kind: string): boolean;
  /** openshift when route.openshift.io/v1 is served. */
  platform(): Platform;
  groupVersions(): string[];
}

export interface ApplyOptions {
  /** Namespace for namespaced objects that name none (default `Cluster.namespace`). */
  namespace?: string;
  /** Ask the server to validate and default without persisting (dryRun=All). */
  dryRun?: boolean;
  /**
   * Take over fields another field manager owns (kubectl's --force-conflicts). Default false:
   * a conflict fails with CONFLICT naming the manager and fields, so a hand fix is never
   * overwritten silently.
   */
  force?: boolean;
  /** Called as each object is applied (a Ctrl-C summary says what was). */
  onApplied?: (outcome: ApplyOutcome) => void;
  /**
   * What the objects were before, when the caller already knows (a rehearsal just read them):
   * keyed by `objectKey` (src/core/object-key.ts), undefined for an object that did not exist. Those are not read again.
   */
  before?: ReadonlyMap<string, KubeObject | undefined>;
  /**
   * false: objects the caller does not know are not read first; the server's answer says what
   * happened (201 created, else configured). For a set that is new, where a read per object
   * would cost a round trip for nothing.
   */
  readFirst?: boolean;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface ApplyOutcome {
  ref: ObjectRef;
  action: ApplyAction;
  /** The object as the server returned it (defaulted, with status). */
  object: KubeObject;
  /** Warning headers from the server, e.g. Pod Security or deprecated API notices. */
  warnings: string[];
  /** In a dry run: the object as it was (what `gshift diff` compares with); undefined when it did not exist. */
  before?: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  /** List across all namespaces (namespace is then ignored). */
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Defaults to "gshift". */
  fieldManager?: string;
}

/** `apply`: a server-side apply of the patch as the field manager's whole intent for the object (with `force`, taking over conflicting fields). */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface DeleteOptions {
  propagation?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchOptions {
  namespace?: string;
  allNamespaces?: boolean;
  labelSelector?: string;
  fieldSelector?: string;
  /** Aborting ends the watch: the returned promise then resolves. */
  signal?: AbortSignal;
  /**
   * Every change, informer-style: first ADDED for each object that exists, then changes. After a
   * dropped connection the watch resumes from the last resourceVersion; when that has expired
   * (410 Gone) it lists again and emits the difference (DELETED / ADDED / MODIFIED), so a view
   * built from these events converges.
   */
  onEvent(type: WatchEventType, object: KubeObject): void;
  /** Called once the initial list has been delivered. */
  onSynced?(): void;
  /** Called before each reconnect, for progress output ("reconnecting…"). */
  onReconnect?(attempt: number, reason: string): void;
  /** Consecutive failed reconnects before giving up with the last error (default 10). */
  maxReconnects?: number;
  /** How long the server keeps each watch request open before ending it (and gshift resuming); default 240–290 s. */
  serverTimeoutSeconds?: number;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339, whole seconds (the server's precision); wins over tailLines and sinceSeconds. */
  sinceTime?: string;
  timestamps?: boolean;
  /** The previous, terminated instance of the container. */
  previous?: boolean;
  limitBytes?: number;
  signal?: AbortSignal;
  /** logLines: called when the server has answered (before the first line, which may never come). */
  onConnected?: () => void;
}

/** Cluster.exec: a command in a container, its stdout streamed (dumps). */
export interface ExecOptions {
  /** argv; no shell unless the command names one. */
  command: string[];
  /** The pod's first container when not given. */
  container?: string;
  /** Gets the command's stdout, as fast as it takes it. */
  stdout: NodeJS.WritableStream;
  /** Each piece of stderr as it arrives (the result keeps its last 64 KiB anyway). */
  onStderr?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  /** The end of the command's stderr. */
  stderr: string;
}

export interface PortForwardOptions {
  /** The local port (default: a free one). */
  localPort?: number;
  /** The local address to listen on (default 127.0.0.1). */
  address?: string;
  /** Aborting closes the listener and every connection. */
  signal?: AbortSignal;
  /** A connection that could not be opened or that the kubelet ended with an error. */
  onError?: (error: import('../errors.js').GshiftError) => void;
}

export interface PortForwardTunnel {
  address: string;
  port: number;
  /** Resolves when the listener has closed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** A request the typed methods do not cover: subresources, aggregated APIs, /healthz. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. /api/v1/namespaces/x/serviceaccounts/y/token. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Names the object in error messages. */
  ref?: Partial<ObjectRef>;
  /** The verb for error messages ("create", "read logs of", …). */
  verb?: string;
}

/**
 * A connection to one cluster as one user. Every method throws `GshiftError`s (see
 * `toClusterError`) — never raw HTTP or client-node errors.
 */
export interface Cluster {
  /** The kubeconfig context in use ("in-cluster" inside a pod). */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  /** The kubeconfig user name (not necessarily the identity the server sees). */
  readonly user: string;
  /** The namespace the kubeconfig context names, if any (input for `resolveTarget`). */
  readonly contextNamespace?: string;
  /** The default namespace: --namespace, else the context's, else "default". */
  readonly namespace: string;
  /** The kubeconfig files that were merged, or ["in-cluster"]. */
  readonly sources: string[];

  serverVersion(): Promise<ServerVersion>;
  /** Cached for the life of this Cluster; `refresh` fetches again (e.g. after installing a CRD). */
  discovery(options?: {refresh?: boolean}): Promise<Discovery>;

  /** Server-side apply (field manager "gshift") in the given order, in dependency waves (see applyWaves). */
  apply(objects: KubeObject[], options?: ApplyOptions): Promise<ApplyOutcome[]>;
  /** undefined when the object does not exist. */
  get<T = KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  /**
   * Sends the GETs of objects a later `get` will want, now (beside another read: one round trip
   * for both). The next `get` of each takes its answer, once; later ones read again.
   */
  readAhead(refs: readonly ObjectRef[]): void;
  list<T = KubeObject>(apiVersion: string, kind: string, options?: ListOptions): Promise<ListResult<T>>;
  /** POST, e.g. SelfSubjectAccessReview; fails with CONFLICT when the object exists. */
  create<T = KubeObject>(object: KubeObject, options?: WriteOptions): Promise<T>;
  /** POST to a subresource, e.g. createSubresource(serviceAccountRef, 'token', tokenRequest). */
  createSubresource<T = KubeObject>(ref: ObjectRef, subresource: string, body: unknown, options?: WriteOptions): Promise<T>;
  /** PUT; fails with CONFLICT when metadata.resourceVersion is stale. */
  replace<T = KubeObject>(object: KubeObject, options?: WriteOptions): Promise<T>;
  patch<T = KubeObject>(ref: ObjectRef, patch: unknown, options?: WriteOptions & {type?: PatchType; subresource?: string; force?: boolean}): Promise<T>;
  /** false when the object did not exist. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;

  /** Resolves when `signal` aborts; rejects when the watch cannot be kept up (see WatchOptions). */
  watch(apiVersion: string, kind: string, options: WatchOptions): Promise<void>;
  /** Copies a container's log to `out`; resolves when the log ends, `signal` aborts or `out` closes. */
  streamLogs(namespace: string, pod: string, container: string | undefined, options: LogOptions, out: NodeJS.WritableStream): Promise<void>;
  readLogs(namespace: string, pod: string, container: string | undefined, options?: Omit<LogOptions, 'follow'>): Promise<string>;
  /**
   * One log request, as the server sends it: the complete lines of each piece at once (no
   * resuming: the caller decides that). Ends when the server ends the log or `options.signal`
   * aborts; a line longer than 1 MiB arrives in pieces. Reads only as fast as the caller takes
   * lines. Aborting with the
   * reason `LOG_STALLED` says the connection stopped carrying data: it takes no new streams.
   */
  logLines(namespace: string, pod: string, container: string, options: LogOptions): AsyncIterable<string[]>;

  /**
   * Runs a command in a pod's container through the API server (pods/exec over a WebSocket) and
   * resolves with its exit code when it ends; a non-zero exit code is a result, not an error.
   */
  exec(namespace: string, pod: string, options: ExecOptions): Promise<ExecResult>;
  /**
   * Listens on a local port and carries each connection to `port` of the pod through the API
   * server (pods/portforward over a WebSocket). Checks with one connection first that the pod can
   * be reached, so a missing pod or permission fails here.
   */
  portForward(namespace: string, pod: string, port: number, options?: PortForwardOptions): Promise<PortForwardTunnel>;

  /** JSON in, JSON out, with gshift's error mapping. */
  request<T = unknown>(request: RawRequest): Promise<T>;
  /** Releases pooled connections so the process can exit promptly. */
  close(): Promise<void>;
}

/**
 * Resolves the kubeconfig as kubectl does (--kubeconfig, else $KUBECONFIG merged, else
 * ~/.kube/config, else the in-cluster service account) and picks the context. No network.
 *
 * @throws GshiftError USAGE when no cluster is configured, a file is missing or invalid, or
 *         the context does not exist (the message lists the available ones).
 */
export async function connect(options: ClusterOptions = {}): Promise<Cluster> {
  const {openCluster} = await import('./session.js');
  return openCluster(options);
}
