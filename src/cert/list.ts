import type {X509Certificate} from 'node:crypto';

import type {Cluster, KubeObject} from '../cluster/index.js';
import {APP_LABEL} from '../core/labels.js';
import {type CertificateSummary, certificatesOf, summarise} from './inspect.js';
import {certManagerCertificateOf, type SecretObject, secretCertificates, TLS_SECRET_TYPE} from './secret.js';
import {byCodePoint} from '../core/order.js';

export const CERT_MANAGER_API = 'cert-manager.io/v1';

/** One certificate `cert list` shows, wherever gshift found it. */
export interface CertificateEntry extends Partial<CertificateSummary> {
  /** The Secret's name; for a Route's own inline certificate, "route/NAME". */
  name: string;
  namespace: string;
  env?: string;
  /** Where it lives: a TLS Secret, inline in a Route only, or a cert-manager Certificate not issued yet. */
  source: 'secret' | 'route' | 'cert-manager';
  /** The apps that serve it (attached by gshift, named by an Ingress, or carried by their Route). */
  apps: string[];
  /** The cert-manager Certificate that issues and renews it. */
  renewedBy?: string;
  /** cert-manager's Ready condition: "True", or its reason and message. */
  status?: string;
  /** Routes that carry an older copy of this Secret's certificate (the next render of their app refreshes them). */
  staleRoutes?: string[];
  /** For a Route's own entry: the Secret it is an outdated copy of. */
  copyOf?: string;
}

type Json = Record<string, any>;

/** What one namespace holds: TLS Secrets, Routes and Ingresses, cert-manager Certificates, the apps' attachments. */
export interface CertificateSources {
  namespace: string;
  secrets: SecretObject[];
  routes: KubeObject[];
  ingresses: KubeObject[];
  certificates: KubeObject[];
  /** App → the Secret its stored inputs attach. */
  attachments: Map<string, string>;
}

/** Reads a namespace's certificate sources: a few lists, whatever the number of apps. */
export async function readCertificateSources(cluster: Cluster, namespace: string): Promise<CertificateSources> {
  const [{listRecords, requireNamespaceToRead}, {readStoredInputs}] = await Promise.all([import('../app/inventory.js'), import('../app/stored-inputs.js')]);
  const discovery = await cluster.discovery();
  const list = (apiVersion: string, kind: string, options: {fieldSelector?: string} = {}) =>
    discovery.hasKind(apiVersion, kind) ? cluster.list(apiVersion, kind, {namespace, ...options}).then((result) => result.items.map((item) => ({...item, apiVersion, kind}))) : Promise.resolve([]);
  const [secrets, routes, ingresses, certificates, records] = await Promise.all([
    list('v1', 'Secret', {fieldSelector: `type=${TLS_SECRET_TYPE}`}),
    list('route.openshift.io/v1', 'Route'),
    list('networking.k8s.io/v1', 'Ingress'),
    list(CERT_MANAGER_API, 'Certificate'),
    listRecords(cluster, namespace),
  ]);
  // Listing in a namespace that does not exist finds nothing too: say which it is.
  if (secrets.length === 0 && records.length === 0) await requireNamespaceToRead(cluster, namespace);
  const attachments = new Map<string, string>();
  for (const record of records) {
    const secret = readStoredInputs(record)?.certificate?.secret;
    if (secret) attachments.set(record.app, secret);
  }
  return {namespace, secrets, routes, ingresses, certificates, attachments};
}

const appOf = (object: KubeObject) => object.metadata.labels?.[APP_LABEL] ?? object.metadata.name ?? '';
const inlineLeaf = (route: KubeObject): X509Certificate | undefined => certificatesOf(((route.spec as Json | undefined)?.tls?.certificate as string | undefined) ?? '')[0];
const readyCondition = (certificate: KubeObject) => ((certificate.status as Json | undefined)?.conditions as Json[] | undefined)?.find((condition) => condition.type === 'Ready');

/** cert-manager's Ready condition in a few words: "True", or "False: reason — message". */
export function certificateStatus(certificate: KubeObject): string {
  const ready = readyCondition(certificate);
  if (!ready) return 'not issued yet';
  return ready.status === 'True' ? 'True' : `${ready.status}: ${ready.reason ?? ''}${ready.message ? ` — ${ready.message}` : ''}`;
}

/**
 * The namespace's certificates, one entry each: every TLS Secret with the apps that serve it and
 * whether cert-manager renews it; a Route's inline certificate that is no Secret's current one
 * (its own, or an outdated copy); a cert-manager Certificate whose Secret does not exist yet.
 */
export function certificateEntries(sources: CertificateSources, now: Date = new Date(), env?: string): CertificateEntry[] {
  const {namespace} = sources;
  const issuers = new Map(sources.certificates.map((certificate) => [(certificate.spec as Json | undefined)?.secretName as string, certificate]));
  const entries: CertificateEntry[] = [];
  const leafOfSecret = new Map<string, X509Certificate | undefined>();
  for (const secret of sources.secrets) {
    const name = secret.metadata.name!;
    const leaf = secretCertificates(secret)[0];
    leafOfSecret.set(name, leaf);
    const issuer = issuers.get(name);
    const apps = new Set<string>();
    for (const [app, attached] of sources.attachments) if (attached === name) apps.add(app);
    for (const ingress of sources.ingresses) {
      if (((ingress.spec as Json | undefined)?.tls as Json[] | undefined)?.some((tls) => tls.secretName === name)) apps.add(appOf(ingress));
    }
    const staleRoutes: string[] = [];
    for (const route of sources.routes) {
      const inline = inlineLeaf(route);
      if (!inline) continue;
      if (leaf && inline.fingerprint256 === leaf.fingerprint256) apps.add(appOf(route));
      else if (sources.attachments.get(appOf(route)) === name) staleRoutes.push(route.metadata.name!);
    }
    const renewedBy = issuer?.metadata.name ?? certManagerCertificateOf(secret);
    entries.push({
      name,
      namespace,
      ...(env ? {env} : {}),
      source: 'secret',
      ...(leaf ? summarise(leaf, now) : {}),
      apps: [...apps].sort(),
      ...(renewedBy ? {renewedBy} : {}),
      ...(issuer ? {status: certificateStatus(issuer)} : {}),
      ...(staleRoutes.length > 0 ? {staleRoutes} : {}),
    });
  }
  const current = new Set([...leafOfSecret.values()].flatMap((leaf) => (leaf ? [leaf.fingerprint256] : [])));
  for (const route of sources.routes) {
    const inline = inlineLeaf(route);
    if (!inline || current.has(inline.fingerprint256)) continue;
    const attached = sources.attachments.get(appOf(route));
    entries.push({name: `route/${route.metadata.name}`, namespace, ...(env ? {env} : {}), source: 'route', ...summarise(inline, now), apps: [appOf(route)], ...(attached && leafOfSecret.has(attached) ? {copyOf: attached} : {})});
  }
  for (const [secretName, certificate] of issuers) {
    if (leafOfSecret.has(secretName)) continue;
    const apps = [...sources.attachments].filter(([, attached]) => attached === secretName).map(([app]) => app);
    entries.push({name: secretName, namespace, ...(env ? {env} : {}), source: 'cert-manager', apps, renewedBy: certificate.metadata.name!, status: certificateStatus(certificate)});
  }
  return entries.sort((a, b) => byCodePoint(a.name, b.name));
}

/** `cert list` in one namespace. */
export async function listCertificates(cluster: Cluster, namespace: string, options: {now?: Date; env?: string} = {}): Promise<CertificateEntry[]> {
  return certificateEntries(await readCertificateSources(cluster, namespace), options.now, options.env);
}
