import type {ApplyAction, ApplyOutcome, Cluster, Discovery} from '../cluster/index.js';
import type {ApplyTracker} from '../converge/engine.js';
import type {Session} from '../core/session.js';
import {GshiftError, notFoundError, usageError} from '../errors.js';
import {type AppChange, appChange, checkCertificateName} from './add.js';
import {attachToApp, planAppAttachment} from './apps.js';
import {checkHostName} from './hosts.js';
import {type CertificateSummary, summarise} from './inspect.js';
import {type IssuerRef, certificateObject, waitForCertificate} from './issuance.js';
import {CERT_MANAGER_API} from './list.js';
import {CERT_LABEL, certManagerCertificateOf, type SecretObject, secretCertificates, secretRef} from './secret.js';

export interface IssueRequest {
  name: string;
  app: string;
  host: string;
  issuer?: string;
  clusterIssuer?: string;
  wait: boolean;
  timeoutMs: number;
}

export interface IssueResult {
  certificate: string;
  namespace: string;
  issuer: IssuerRef;
  host: string;
  /** The Certificate object: created, configured or unchanged. */
  action: ApplyAction;
  ready: boolean;
  /** The app is served by a Route, which carries a copy of the certificate (refreshed by its renders). */
  route: boolean;
  /** The issued certificate, once there is one. */
  summary?: CertificateSummary;
  apps: AppChange[];
  changed: boolean;
  warnings: string[];
}

/** The offline checks: the name, the host, and one issuer. */
export function checkIssueInput(request: IssueRequest): void {
  checkCertificateName(request.name);
  checkHostName(request.host);
  if (request.issuer && request.clusterIssuer) throw usageError('Both --issuer and --cluster-issuer name an issuer; pass one.', 'use --issuer for an Issuer in the namespace, --cluster-issuer for a ClusterIssuer.');
}

/** NOT_FOUND with the hint to install cert-manager, or to add a certificate by hand, when discovery does not show its API. */
export function requireCertManager(discovery: Pick<Discovery, 'hasKind'>): void {
  if (discovery.hasKind(CERT_MANAGER_API, 'Certificate')) return;
  throw notFoundError('cert-manager is not installed on this cluster: it does not serve cert-manager.io/v1 Certificates.', 'ask the platform team to install cert-manager (https://cert-manager.io), or add a certificate you have with gshift cert add NAME --cert FILE --key FILE --app APP.', {api: CERT_MANAGER_API});
}

/**
 * `cert issue`: a cert-manager Certificate for the app's host; with --wait, gshift waits until it
 * is issued (or reports why not). The app records the attachment, so its Route gets the issued
 * certificate inline (copied from the Secret on every render of the app) or its Ingress names the
 * Secret (which the Ingress controller reads, renewals included).
 */
export async function issueCertificate(session: Session, request: IssueRequest, options: {tooling: string; tracker?: ApplyTracker}): Promise<IssueResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  requireCertManager(await cluster.discovery());
  const issuer = await requireIssuer(session, request);
  const plan = await planAppAttachment(session, {app: request.app, certificate: request.name, host: request.host});
  const {outcome, existingSecret} = await applyIssuance(cluster, {name: request.name, namespace, host: plan.host, issuer});
  const action = outcome.action;
  const issued = request.wait ? await waitForCertificate(cluster, {name: request.name, namespace, timeoutMs: request.timeoutMs}) : undefined;
  const redeployed = await attachToApp(session, plan, {secret: request.name, termination: plan.stored.certificate?.termination ?? 'edge'}, options);
  const secret = issued ? await cluster.get<SecretObject>(secretRef(request.name, namespace)) : existingSecret;
  const leaf = secret ? secretCertificates(secret)[0] : undefined;
  return {
    certificate: request.name,
    namespace,
    issuer,
    host: plan.host,
    action,
    ready: issued !== undefined,
    route: plan.platform === 'openshift',
    ...(leaf ? {summary: summarise(leaf)} : {}),
    apps: [appChange(redeployed, plan.host, plan.stored.certificate?.termination ?? 'edge')],
    changed: action !== 'unchanged' || redeployed.changed,
    warnings: [],
  };
}

/**
 * The cert-manager Certificate for the host, refused when a Certificate or Secret of that name is
 * not gshift's issuance, and written only when it differs (a re-run writes nothing); with dryRun,
 * rehearsed on the server. Also gshift up's step for a certificate with an issuer.
 */
export async function applyIssuance(
  cluster: Pick<Cluster, 'get' | 'apply'>,
  request: {name: string; namespace: string; host: string; issuer: IssuerRef},
  options: {dryRun?: boolean} = {},
): Promise<{outcome: ApplyOutcome; existingSecret?: SecretObject}> {
  const {name, namespace} = request;
  const [existingSecret, existingCertificate] = await Promise.all([
    cluster.get<SecretObject>(secretRef(name, namespace)),
    cluster.get({apiVersion: CERT_MANAGER_API, kind: 'Certificate', name, namespace}),
  ]);
  if (existingCertificate && existingCertificate.metadata.labels?.[CERT_LABEL] !== name) {
    throw new GshiftError('CONFLICT', `A cert-manager Certificate named ${name} already exists, and gshift did not make it.`, {hint: 'pick another name for the certificate.', details: {certificate: name}});
  }
  if (existingSecret && certManagerCertificateOf(existingSecret) !== name) {
    throw new GshiftError('CONFLICT', `Secret ${name} already exists and holds a certificate cert-manager did not issue for this name.`, {hint: `pick another name, or gshift cert remove ${name} first.`, details: {certificate: name}});
  }
  const {applyWhenChanged} = await import('../converge/apply-changed.js');
  const [outcome] = await applyWhenChanged(cluster, [certificateObject(name, namespace, request.host, request.issuer)], {namespace, dryRun: options.dryRun});
  return {outcome: outcome!, ...(existingSecret ? {existingSecret} : {})};
}

/** The issuer named, read (NOT_FOUND listing the ones there are); without one, a usage error listing them. */
export async function requireIssuer(session: Pick<Session, 'cluster' | 'target'>, request: Pick<IssueRequest, 'issuer' | 'clusterIssuer'>): Promise<IssuerRef> {
  const {cluster, target} = session;
  const [issuers, clusterIssuers] = await Promise.all([
    cluster.list(CERT_MANAGER_API, 'Issuer', {namespace: target.namespace}).then((list) => list.items.map((item) => item.metadata.name!)),
    // Tenants may not list cluster-scoped objects: then the named ClusterIssuer is taken on trust (the wait reports a missing one).
    cluster.list(CERT_MANAGER_API, 'ClusterIssuer').then((list) => list.items.map((item) => item.metadata.name!), (error: unknown) => {
      if (error instanceof GshiftError && error.code === 'FORBIDDEN') return undefined;
      throw error;
    }),
  ]);
  const known = [...issuers.map((name) => `--issuer ${name}`), ...(clusterIssuers ?? []).map((name) => `--cluster-issuer ${name}`)];
  const choose = known.length > 0 ? `pass one of: ${known.join(', ')}.` : 'ask the platform team for a ClusterIssuer, or create an Issuer in the namespace.';
  if (!request.issuer && !request.clusterIssuer) throw usageError('Which issuer should sign the certificate? Pass --issuer or --cluster-issuer.', choose);
  const ref: IssuerRef = request.issuer ? {kind: 'Issuer', name: request.issuer} : {kind: 'ClusterIssuer', name: request.clusterIssuer!};
  const names = ref.kind === 'Issuer' ? issuers : clusterIssuers;
  if (names && !names.includes(ref.name)) {
    throw notFoundError(`No ${ref.kind} "${ref.name}"${ref.kind === 'Issuer' ? ` in namespace "${target.namespace}"` : ''}.`, choose, {issuer: ref});
  }
  return ref;
}
