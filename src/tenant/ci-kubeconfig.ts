import {readFileSync} from 'node:fs';

import type {ClusterOptions} from '../cluster/index.js';
import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import {tenantNamespace} from '../core/target.js';
import {notFoundError, usageError} from '../errors.js';
import {CI_SERVICE_ACCOUNT} from './access.js';
import {isOwnedBy} from '../core/labels.js';
import {checkEnvironments, checkTenantName} from './settings.js';

/** The TokenRequest API's floor; pipelines rarely need more than the default hour. */
const MIN_SECONDS = 600;
const MAX_SECONDS = 48 * 3600;

export interface CiKubeconfigRequest {
  name: string;
  env: string;
  durationMs: number;
}

export interface CiKubeconfig {
  namespace: string;
  serviceAccount: string;
  /** RFC 3339, from the API server. */
  expiresAt: string;
  /** The kubeconfig as YAML; it holds the token. */
  kubeconfig: string;
}

/** Where the pipeline will connect: the cluster entry of the kubeconfig gshift itself uses. */
export interface ClusterEndpoint {
  server: string;
  certificateAuthorityData?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
}

/**
 * `gshift tenant ci-kubeconfig`: a kubeconfig for the tenant's CI ServiceAccount with a
 * short-lived token from the TokenRequest API. Nothing is stored in the cluster: the token
 * expires on its own, and a pipeline asks for a fresh one each run.
 */
export async function ciKubeconfig(request: CiKubeconfigRequest, run: {cluster: ClusterFlags; cwd?: string}): Promise<CiKubeconfig> {
  checkTenantName(request.name);
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  checkEnvironments(request.name, [request.env], config);
  const seconds = Math.round(request.durationMs / 1000);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw usageError(`--duration must be between 10m and 48h, not ${seconds}s.`, 'pass --duration like 1h.');
  }
  const namespace = tenantNamespace(request.name, request.env);
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    // After connect(), whose errors about the kubeconfig's files come first and say the most.
    const endpoint = await clusterEndpoint(run.cluster);
    const ns = await cluster.get({apiVersion: 'v1', kind: 'Namespace', name: namespace});
    if (!ns || !isOwnedBy(ns.metadata.labels, request.name)) {
      throw notFoundError(`Tenant "${request.name}" has no environment "${request.env}" (no gshift namespace ${namespace}).`, `create it with gshift tenant create ${request.name} --envs ${request.env} --ci-account.`);
    }
    const ref = {apiVersion: 'v1', kind: 'ServiceAccount', name: CI_SERVICE_ACCOUNT, namespace};
    if (!(await cluster.get(ref))) {
      throw notFoundError(`Tenant "${request.name}" has no CI account in ${namespace}.`, `add one with gshift tenant update ${request.name} --ci-account.`);
    }
    const answer = await cluster.createSubresource<{status?: {token?: string; expirationTimestamp?: string}}>(ref, 'token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {expirationSeconds: seconds},
    });
    const token = answer.status?.token ?? '';
    const expiresAt = answer.status?.expirationTimestamp ?? '';
    const kubeconfig = await renderKubeconfig({endpoint, namespace, token, name: `${namespace}-ci`});
    return {namespace, serviceAccount: CI_SERVICE_ACCOUNT, expiresAt, kubeconfig};
  });
}

/**
 * The Cluster interface names the server but not its CA, so the kubeconfig is resolved again
 * here, exactly as connect() does (files only, no network, no Kubernetes client).
 */
async function clusterEndpoint(options: ClusterOptions): Promise<ClusterEndpoint> {
  const {resolveKubeconfig} = await import('../cluster/kubeconfig.js');
  const {cluster} = resolveKubeconfig(options);
  return {
    server: cluster.server,
    certificateAuthorityData: readCertificateAuthority(cluster.caData, cluster.caFile),
    tlsServerName: cluster.tlsServerName,
    insecureSkipTlsVerify: cluster.skipTLSVerify,
  };
}

export async function renderKubeconfig(input: {endpoint: ClusterEndpoint; namespace: string; token: string; name: string}): Promise<string> {
  const {stringify} = (await import('yaml')).default;
  const cluster: Record<string, unknown> = {server: input.endpoint.server};
  if (input.endpoint.certificateAuthorityData) cluster['certificate-authority-data'] = input.endpoint.certificateAuthorityData;
  if (input.endpoint.tlsServerName) cluster['tls-server-name'] = input.endpoint.tlsServerName;
  if (input.endpoint.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name: input.name, cluster}],
    users: [{name: input.name, user: {token: input.token}}],
    contexts: [{name: input.name, context: {cluster: input.name, user: input.name, namespace: input.namespace}}],
    'current-context': input.name,
  });
}

export function readCertificateAuthority(caData: string | undefined, caFile: string | undefined): string | undefined {
  if (caData) return caData;
  if (!caFile) return undefined;
  try {
    return readFileSync(caFile).toString('base64');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw usageError(`The certificate authority file "${caFile}" named in the kubeconfig cannot be read (${reason}).`, 'fix the path in the kubeconfig, or log in again.', {caFile});
  }
}
