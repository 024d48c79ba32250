import type {Cluster, ObjectRef} from '../cluster/index.js';
import type {EffectiveConfig} from '../config/load.js';
import {GshiftError} from '../errors.js';
import type {Target} from './target.js';

/** The flags that pick the cluster and the namespace (see `clusterFlags`); tenant commands pass only the first two. */
export interface TargetFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  tenant?: string;
  env?: string;
}

/** Cluster-wide services (tenants) pick only the cluster. */
export type ClusterFlags = Pick<TargetFlags, 'kubeconfig' | 'context'>;

/** Where a service works: one cluster connection, one resolved target, the effective config. */
export interface Session {
  cluster: Cluster;
  target: Target;
  config: EffectiveConfig;
  /** What the session found of the target namespace when it read it (readNamespace); undefined when it did not read it. */
  namespaceState?: NamespaceState;
}

/** A namespace as a user sees it: there, not there, or not theirs to read (many tenant developers may not). */
export type NamespaceState = 'exists' | 'missing' | 'unreadable';

export interface SessionOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A config already loaded (a service that validated its input against it before connecting). */
  config?: EffectiveConfig;
  /**
   * Read the namespace, so its labels name the tenant and environment (app commands render
   * per environment). One GET; a user who may not read namespaces keeps the offline answer.
   */
  readNamespace?: boolean;
  /** Checks the input against the config: bad input fails before any answer is awaited, and before a kubeconfig error. */
  validate?: (config: EffectiveConfig) => void | Promise<void>;
  /**
   * With readNamespace: objects in the target namespace the service reads first (an app's record),
   * sent with the namespace read; the service's own get of each takes the answer.
   */
  readAhead?: (namespace: string) => ObjectRef[];
}

/**
 * One turn of the event loop. A connection makes progress only between pieces of work (the TLS
 * handshake needs three turns: connected, the server's answer, HTTP/2 settings), and loading a
 * group of modules is one piece of 10-20 ms: a service that loads or checks much while its first
 * reads are under way lets the connection take its step in between, so the answers are there
 * when the work is done rather than a round trip later.
 */
export const letConnectionProceed = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The config every service starts from: loaded once, before any connection. */
export async function loadSessionConfig(options: Pick<SessionOptions, 'cwd' | 'env'> = {}): Promise<EffectiveConfig> {
  const {loadConfig} = await import('../config/load.js');
  return loadConfig(options.cwd, options.env);
}

/**
 * Opens the kubeconfig, loads the config and resolves the target the same way a dry run does
 * (resolveTarget), checks the input, then, when asked, refines the target with the namespace's
 * labels, read while the input was checked.
 */
export async function openSession(flags: TargetFlags, options: SessionOptions = {}): Promise<Session> {
  // The connection comes first (the kubeconfig read; with a namespace to read, the TLS handshake
  // and discovery too), then the first reads, so the network works while the input is checked.
  // Bad input still fails first, without waiting for an answer: the connection is closed.
  const connecting = import('../cluster/index.js').then(async ({connect}) => {
    const cluster = await connect({kubeconfig: flags.kubeconfig, context: flags.context, env: options.env});
    // What an app command renders depends on the platform: discovery goes with the namespace read.
    if (options.readNamespace) void cluster.discovery().catch(() => {});
    return cluster;
  });
  connecting.catch(() => {}); // awaited below
  let config: EffectiveConfig;
  let resolveTarget: typeof import('./target.js').resolveTarget;
  let withNamespaceLabels: typeof import('./target.js').withNamespaceLabels;
  try {
    ({resolveTarget, withNamespaceLabels} = await import('./target.js'));
    config = options.config ?? (await loadSessionConfig(options));
  } catch (error) {
    void connecting.then((cluster) => cluster.close(), () => {});
    throw error;
  }
  // Bad input is reported before a kubeconfig that cannot be used.
  const cluster = await connecting.catch(async (error: unknown) => {
    await options.validate?.(config);
    throw error;
  });
  try {
    const target = resolveTarget({
      flags: {namespace: flags.namespace, tenant: flags.tenant, env: flags.env},
      config: config.values,
      contextNamespace: cluster.contextNamespace,
    });
    // The namespace and the service's first reads (one round trip for all), under way while the
    // input is checked; a read that fails is reported after the check.
    let reading: Promise<Awaited<ReturnType<typeof readNamespace>>> | undefined;
    if (options.readNamespace) {
      cluster.readAhead(options.readAhead?.(target.namespace) ?? []);
      reading = readNamespace(cluster, target.namespace);
      reading.catch(() => {});
      await letConnectionProceed();
    }
    await options.validate?.(config);
    if (!reading) return {cluster, target, config};
    const namespace = await reading;
    return {cluster, target: withNamespaceLabels(target, namespace.labels), config, namespaceState: namespace.state};
  } catch (error) {
    await cluster.close();
    throw error;
  }
}

/** Opens a session for one piece of work and always closes it, so the process exits promptly. */
export async function withSession<T>(flags: TargetFlags, options: SessionOptions, work: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(flags, options);
  try {
    return await work(session);
  } finally {
    await session.cluster.close();
  }
}

/** Whether the namespace is there, and its labels when it is; a user who may not read it gets 'unreadable', not an error. */
export async function readNamespace(cluster: Cluster, namespace: string): Promise<{state: NamespaceState; labels?: Record<string, string>}> {
  try {
    const found = await cluster.get({apiVersion: 'v1', kind: 'Namespace', name: namespace});
    return found ? {state: 'exists', ...(found.metadata.labels ? {labels: found.metadata.labels} : {})} : {state: 'missing'};
  } catch (error) {
    if (error instanceof GshiftError && error.code === 'FORBIDDEN') return {state: 'unreadable'};
    throw error;
  }
}
