import type {Cluster, KubeObject} from '../cluster/index.js';
import {MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';
import {GshiftError} from '../errors.js';
import {CERT_MANAGER_API, certificateStatus} from './list.js';
import {CERT_LABEL, CERT_MANAGER_CERTIFICATE_ANNOTATION} from './secret.js';
import {byCodePoint} from '../core/order.js';

type Json = Record<string, any>;

export interface IssuerRef {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
}

/**
 * The cert-manager Certificate `cert issue` applies: its Secret has the certificate's name and
 * gshift's labels (secretTemplate), the key is a new ECDSA P-256 key on every renewal, stored as
 * PKCS#8 (what the router and every Ingress controller read).
 */
export function certificateObject(name: string, namespace: string, host: string, issuer: IssuerRef): KubeObject {
  const labels = {[MANAGED_BY_LABEL]: MANAGER, [CERT_LABEL]: name};
  return {
    apiVersion: CERT_MANAGER_API,
    kind: 'Certificate',
    metadata: {name, namespace, labels},
    spec: {
      secretName: name,
      dnsNames: [host],
      issuerRef: {group: 'cert-manager.io', kind: issuer.kind, name: issuer.name},
      privateKey: {algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always'},
      secretTemplate: {labels},
    },
  };
}

/** The cert-manager Certificates `cert issue` made in the namespace (none where cert-manager is not installed). */
export async function listIssuances(cluster: Pick<Cluster, 'discovery' | 'list'>, namespace: string): Promise<KubeObject[]> {
  if (!(await cluster.discovery()).hasKind(CERT_MANAGER_API, 'Certificate')) return [];
  const list = await cluster.list(CERT_MANAGER_API, 'Certificate', {namespace, labelSelector: `${CERT_LABEL},${MANAGED_BY_LABEL}=${MANAGER}`});
  return list.items.filter((object) => object.metadata.labels?.[CERT_LABEL] === object.metadata.name);
}

/** What a Certificate of `cert issue`'s was issued with: its issuer and the host (its first DNS name). */
export function issuanceOf(certificate: KubeObject): {issuer?: IssuerRef; host?: string} {
  const spec = certificate.spec as {issuerRef?: {kind?: string; name?: string}; dnsNames?: string[]} | undefined;
  const ref = spec?.issuerRef;
  const issuer = ref?.name ? {kind: ref.kind === 'ClusterIssuer' ? ('ClusterIssuer' as const) : ('Issuer' as const), name: ref.name} : undefined;
  return {...(issuer ? {issuer} : {}), ...(spec?.dnsNames?.[0] ? {host: spec.dnsNames[0]} : {})};
}

const condition = (object: KubeObject | undefined, type: string) => ((object?.status as Json | undefined)?.conditions as Json[] | undefined)?.find((entry) => entry.type === type);

/** Ready for the spec as it is now: cert-manager saw this generation and issued for it. */
export function certificateReady(certificate: KubeObject | undefined): boolean {
  const ready = condition(certificate, 'Ready');
  return ready?.status === 'True' && (ready.observedGeneration === undefined || ready.observedGeneration >= (certificate?.metadata.generation ?? 0));
}

/** cert-manager gave up on this issuance (it retries after a back-off): Issuing=False with reason Failed, or a request Denied/Failed. */
export function issuanceFailed(certificate: KubeObject | undefined): string | undefined {
  const issuing = condition(certificate, 'Issuing');
  if (issuing?.status === 'False' && issuing.reason === 'Failed') return issuing.message ?? 'the issuance failed';
  return undefined;
}

/**
 * Why the Certificate is not Ready, from the objects cert-manager made for it: the newest
 * CertificateRequest's Ready (or Denied) condition and, for ACME issuers, its Order's state and reason.
 */
export async function issuanceDiagnosis(cluster: Cluster, certificate: KubeObject | undefined, name: string, namespace: string): Promise<string> {
  const parts: string[] = [];
  const own = issuanceFailed(certificate) ?? condition(certificate, 'Ready')?.message;
  if (own) parts.push(`Certificate: ${own}`);
  const discovery = await cluster.discovery();
  if (discovery.hasKind(CERT_MANAGER_API, 'CertificateRequest')) {
    const requests = (await cluster.list(CERT_MANAGER_API, 'CertificateRequest', {namespace})).items.filter((request) => request.metadata.annotations?.[CERT_MANAGER_CERTIFICATE_ANNOTATION] === name);
    const newest = requests.sort((a, b) => byCodePoint(String(b.metadata.creationTimestamp), String(a.metadata.creationTimestamp)))[0];
    const verdict = condition(newest, 'Denied') ?? condition(newest, 'Ready');
    if (newest && verdict) parts.push(`CertificateRequest ${newest.metadata.name}: ${verdict.reason ?? verdict.status}${verdict.message ? ` — ${verdict.message}` : ''}`);
    if (newest && discovery.hasKind('acme.cert-manager.io/v1', 'Order')) {
      const orders = (await cluster.list('acme.cert-manager.io/v1', 'Order', {namespace})).items.filter((order) => order.metadata.ownerReferences && (order.metadata.ownerReferences as Json[]).some((owner) => owner.uid === newest.metadata.uid));
      const order = orders[0]?.status as Json | undefined;
      if (order?.state) parts.push(`Order ${orders[0]!.metadata.name}: ${order.state}${order.reason ? ` — ${order.reason}` : ''}`);
    }
  }
  return parts.length > 0 ? parts.join('; ') : certificate ? certificateStatus(certificate) : 'cert-manager has not picked the Certificate up (is its controller running?)';
}

/**
 * Waits, from a watch, until cert-manager has issued the Certificate (Ready for its generation).
 * Rejects with ROLLOUT_FAILED as soon as cert-manager reports the issuance failed, and with
 * TIMED_OUT after `timeoutMs`; both say why, from the CertificateRequest (and Order).
 */
export async function waitForCertificate(cluster: Cluster, options: {name: string; namespace: string; timeoutMs: number}): Promise<KubeObject> {
  const {name, namespace} = options;
  const stop = new AbortController();
  let latest: KubeObject | undefined;
  let verdict: 'ready' | 'failed' | 'timeout' | undefined;
  const settle = (outcome: typeof verdict) => {
    verdict ??= outcome;
    stop.abort();
  };
  const timer = setTimeout(() => settle('timeout'), options.timeoutMs);
  try {
    await cluster.watch(CERT_MANAGER_API, 'Certificate', {
      namespace,
      fieldSelector: `metadata.name=${name}`,
      signal: stop.signal,
      onEvent: (type, object) => {
        latest = type === 'DELETED' ? undefined : object;
        if (certificateReady(latest)) settle('ready');
        else if (issuanceFailed(latest)) settle('failed');
      },
    });
  } finally {
    clearTimeout(timer);
  }
  if (verdict === 'ready') return latest!;
  const why = await issuanceDiagnosis(cluster, latest, name, namespace);
  if (verdict === 'failed') {
    throw new GshiftError('ROLLOUT_FAILED', `cert-manager could not issue certificate ${name}: ${why}.`, {
      hint: `fix the issuer (kubectl describe certificate ${name} -n ${namespace}), then run gshift cert issue again; cert-manager itself retries after a back-off.`,
      details: {certificate: name, namespace},
    });
  }
  throw new GshiftError('TIMED_OUT', `Timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for cert-manager to issue certificate ${name}: ${why}.`, {
    hint: 'pass a longer --timeout, or look at the issuer; the Certificate stays, and cert-manager goes on trying.',
    details: {certificate: name, namespace},
  });
}
