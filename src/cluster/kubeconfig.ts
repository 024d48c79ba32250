import {readFileSync} from 'node:fs';
import {isIPv6} from 'node:net';
import {join} from 'node:path';

import type {Cluster as ClientCluster, Context as ClientContext, User as ClientUser} from '@kubernetes/client-node';

import {GshiftError, usageError} from '../errors.js';
import {SERVICE_ACCOUNT_DIR, locateKubeconfig, mergeKubeconfigFiles, type RawCluster, type RawUser} from './kubeconfig-files.js';

/** The one context gshift will use, in the shapes client-node's KubeConfig takes. */
export interface ResolvedKubeconfig {
  contextName: string;
  cluster: ClientCluster;
  user: ClientUser;
  context: ClientContext;
  /** The context's own namespace (before --namespace). */
  contextNamespace?: string;
  /** --namespace, else the context's namespace, else "default". */
  namespace: string;
  /** Files merged, or ["in-cluster"]. */
  sources: string[];
}

export interface KubeconfigRequest {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the pod's service account is mounted; tests point it at a temp dir. */
  serviceAccountDir?: string;
}

const NO_CLUSTER_HINT = 'set KUBECONFIG, pass --kubeconfig, or log in with oc login / kubectl.';

/** Resolves the kubeconfig like kubectl and picks the context. Reads files; no network. */
export function resolveKubeconfig(request: KubeconfigRequest): ResolvedKubeconfig {
  const env = request.env ?? process.env;
  const serviceAccountDir = request.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const location = locateKubeconfig(request.kubeconfig, env, serviceAccountDir);
  if (location.kind === 'none') {
    throw usageError('No cluster is configured: there is no kubeconfig ($KUBECONFIG, ~/.kube/config) and gshift is not running in a pod.', NO_CLUSTER_HINT);
  }
  if (location.kind === 'in-cluster') return inCluster(env, serviceAccountDir, request);

  const merged = mergeKubeconfigFiles(location.files);
  const where = location.files.length === 1 ? location.files[0] : `the ${location.files.length} files in KUBECONFIG`;
  const available = [...merged.contexts.keys()];
  const listing = available.length > 0 ? `available: ${available.join(', ')}` : 'it defines none';
  const contextName = request.context ?? merged.currentContext;
  if (!contextName) {
    if (available.length === 0) throw usageError(`No cluster is configured: ${where} defines no contexts.`, NO_CLUSTER_HINT);
    throw usageError(`${where} sets no current context.`, `pick one with --context (${listing}), or run kubectl config use-context NAME.`, {contexts: available});
  }
  const context = merged.contexts.get(contextName);
  if (!context) {
    const source = request.context ? 'given with --context' : 'named as current-context';
    throw usageError(`The context "${contextName}" ${source} is not in ${where} (${listing}).`, `pass --context with one of: ${available.join(', ') || '(none)'}.`, {
      context: contextName,
      contexts: available,
    });
  }
  const clusterName = context.value.cluster ?? '';
  const cluster = merged.clusters.get(clusterName);
  if (!cluster?.value.server) {
    throw usageError(
      cluster ? `The cluster "${clusterName}" of context "${contextName}" has no server address.` : `The context "${contextName}" names the cluster "${clusterName}", which is not in ${where}.`,
      'fix the kubeconfig, or log in again to recreate the context.',
    );
  }
  const userName = context.value.user ?? '';
  const user = userName ? merged.users.get(userName) : undefined;
  if (userName && !user) {
    throw usageError(`The context "${contextName}" names the user "${userName}", which is not in ${where}.`, 'fix the kubeconfig, or log in again to recreate the context.');
  }
  const contextNamespace = context.value.namespace || undefined;
  const clientCluster = toClientCluster(clusterName, cluster.value);
  return {
    contextName,
    cluster: clientCluster,
    user: toClientUser(userName || 'anonymous', user?.value ?? {}, cluster.value),
    context: {name: contextName, cluster: clusterName, user: userName || 'anonymous', namespace: contextNamespace},
    contextNamespace,
    namespace: request.namespace || contextNamespace || 'default',
    sources: location.files,
  };
}

function toClientCluster(name: string, raw: RawCluster): ClientCluster {
  return {
    name,
    server: (raw.server ?? '').replace(/\/$/, ''),
    caData: raw['certificate-authority-data'],
    caFile: raw['certificate-authority'],
    skipTLSVerify: raw['insecure-skip-tls-verify'] === true,
    tlsServerName: raw['tls-server-name'],
    proxyUrl: raw['proxy-url'],
  };
}

function toClientUser(name: string, raw: RawUser, cluster: RawCluster): ClientUser {
  return {
    name,
    token: raw.token || readTokenFile(raw['token-file'], name),
    certData: raw['client-certificate-data'],
    certFile: raw['client-certificate'],
    keyData: raw['client-key-data'],
    keyFile: raw['client-key'],
    username: raw.username,
    password: raw.password,
    impersonateUser: raw.as,
    authProvider: raw['auth-provider'],
    exec: raw.exec ? withExecInfo(raw.exec, cluster) : undefined,
  };
}

/** kubectl trims the token file; an untrimmed newline would make an invalid Authorization header. */
function readTokenFile(file: string | undefined, user: string): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new GshiftError('USAGE', `The token file ${file} of kubeconfig user "${user}" cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'log in again, or fix token-file in the kubeconfig.',
      cause: error,
    });
  }
}

/**
 * client-go gives every exec plugin KUBERNETES_EXEC_INFO (an ExecCredential with spec.interactive,
 * and the cluster when provideClusterInfo is set); some plugins refuse to run without it.
 * client-node does not set it, so it is added to the plugin's env here.
 */
function withExecInfo(exec: NonNullable<RawUser['exec']>, cluster: RawCluster): NonNullable<RawUser['exec']> {
  const spec: Record<string, unknown> = {interactive: false};
  if (exec.provideClusterInfo) {
    const caData = cluster['certificate-authority-data'] ?? readBase64(cluster['certificate-authority']);
    spec.cluster = {
      server: cluster.server,
      'certificate-authority-data': caData,
      'tls-server-name': cluster['tls-server-name'],
      'insecure-skip-tls-verify': cluster['insecure-skip-tls-verify'],
      config: cluster.extensions?.find((entry) => entry.name === 'client.authentication.k8s.io/exec')?.extension,
    };
  }
  const info = {apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec};
  return {...exec, env: [...(exec.env ?? []), {name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info)}]};
}

function readBase64(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file).toString('base64');
  } catch {
    return undefined;
  }
}

/** The pod's service account, as client-go's rest.InClusterConfig builds it. */
function inCluster(env: NodeJS.ProcessEnv, dir: string, request: KubeconfigRequest): ResolvedKubeconfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT}`;
  let contextNamespace: string | undefined;
  try {
    contextNamespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    contextNamespace = undefined;
  }
  const name = 'in-cluster';
  return {
    contextName: name,
    cluster: {name, server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false},
    user: {name, token: readTokenFile(join(dir, 'token'), 'in-cluster service account')},
    context: {name, cluster: name, user: name, namespace: contextNamespace},
    contextNamespace,
    namespace: request.namespace || contextNamespace || 'default',
    sources: ['in-cluster'],
  };
}
