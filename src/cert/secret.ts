import {X509Certificate} from 'node:crypto';

import type {Cluster, KubeObject} from '../cluster/index.js';
import {MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';
import {notFoundError} from '../errors.js';
import type {RouteMaterial} from './attachment.js';
import type {CheckedCertificate} from './check.js';
import {certificatesOf} from './inspect.js';

/** On the Secrets `gshift cert add` writes: the certificate's name. */
export const CERT_LABEL = 'gshift.io/cert';
/** cert-manager's annotation on the Secrets it issues: the Certificate's name. */
export const CERT_MANAGER_CERTIFICATE_ANNOTATION = 'cert-manager.io/certificate-name';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';

export type SecretObject = KubeObject & {type?: string; data?: Record<string, string>};

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decoded = (secret: SecretObject, key: string) => (secret.data?.[key] ? Buffer.from(secret.data[key], 'base64').toString('utf8') : undefined);

/** The kubernetes.io/tls Secret of a checked certificate: tls.crt holds the leaf and its intermediates, ca.crt the --ca file. */
export function tlsSecret(name: string, namespace: string, checked: Pick<CheckedCertificate, 'chainPem' | 'keyPem' | 'caPem'>, labels: Record<string, string> = {}): SecretObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name, namespace, labels: {...labels, [MANAGED_BY_LABEL]: MANAGER, [CERT_LABEL]: name}},
    type: TLS_SECRET_TYPE,
    data: {'tls.crt': base64(checked.chainPem), 'tls.key': base64(checked.keyPem), ...(checked.caPem ? {'ca.crt': base64(checked.caPem)} : {})},
  };
}

export const secretRef = (name: string, namespace: string) => ({apiVersion: 'v1', kind: 'Secret', name, namespace});

export const isGshiftSecret = (secret: KubeObject) => secret.metadata.labels?.[CERT_LABEL] === secret.metadata.name && secret.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER;
export const certManagerCertificateOf = (secret: KubeObject) => secret.metadata.annotations?.[CERT_MANAGER_CERTIFICATE_ANNOTATION];

/** The certificates in a TLS Secret's tls.crt, leaf first as stored. */
export const secretCertificates = (secret: SecretObject): X509Certificate[] => certificatesOf(decoded(secret, 'tls.crt') ?? '');

/**
 * What a Route needs inline, from a TLS Secret: the leaf, the intermediates (a root at the end of
 * tls.crt, as cert-manager's CA issuer may store, is left out: clients have it), and the key.
 * Undefined when the Secret has no certificate or key yet.
 */
export function routeMaterial(secret: SecretObject): RouteMaterial | undefined {
  const key = decoded(secret, 'tls.key');
  const certificates = secretCertificates(secret);
  if (!key?.includes('PRIVATE KEY') || certificates.length === 0) return undefined;
  const intermediates = certificates.slice(1).filter((cert) => !(cert.checkIssued(cert) && cert.verify(cert.publicKey)));
  return {
    certificate: certificates[0]!.toString(),
    caCertificate: intermediates.map((cert) => cert.toString()).join(''),
    key: key.endsWith('\n') ? key : `${key}\n`,
  };
}

/** The attached Secret's Route material as the cluster has it now; undefined while it does not exist or holds no certificate. */
export async function readRouteMaterial(cluster: Pick<Cluster, 'get'>, namespace: string, secret: string): Promise<RouteMaterial | undefined> {
  const found = await cluster.get<SecretObject>(secretRef(secret, namespace));
  return found ? routeMaterial(found) : undefined;
}

/** The certificate's Secret, or NOT_FOUND naming the TLS Secrets there are. */
export async function requireCertificateSecret(cluster: Pick<Cluster, 'get' | 'list'>, namespace: string, name: string): Promise<SecretObject> {
  const found = await cluster.get<SecretObject>(secretRef(name, namespace));
  if (found) return found;
  const known = (await cluster.list<SecretObject>('v1', 'Secret', {namespace, fieldSelector: `type=${TLS_SECRET_TYPE}`})).items.map((secret) => secret.metadata.name!);
  throw notFoundError(
    `No certificate "${name}" in namespace "${namespace}"${known.length ? ` (certificates there: ${known.join(', ')})` : ''}.`,
    known.length ? 'pick one of the certificates listed (gshift cert list).' : `add it with gshift cert add ${name} --cert FILE --key FILE -n ${namespace}.`,
    {certificate: name, namespace, certificates: known},
  );
}
