import type {ApplyTracker} from '../converge/engine.js';
import type {RedeployResult} from '../app/redeploy.js';
import type {ApplyAction} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import {brokenSubdomainRule} from '../core/names.js';
import {GshiftError, usageError} from '../errors.js';
import {type AppPlan, attachToApp, planAppAttachment, requirePlanHost} from './apps.js';
import type {Termination} from './attachment.js';
import {type CertificateFiles, type CheckedCertificate, checkCertificate} from './check.js';
import {type CertificateSummary, summarise} from './inspect.js';
import {CERT_MANAGER_CERTIFICATE_ANNOTATION, isGshiftSecret, type SecretObject, secretCertificates, secretRef, tlsSecret} from './secret.js';

export interface AddRequest {
  name: string;
  files: CertificateFiles;
  app?: string;
  host?: string;
  termination?: Termination;
  /** Asked only for an encrypted key; undefined when there is no way to have it. */
  passphrase?: () => Promise<string | undefined>;
}

/** An app that was rendered again for a certificate (its apply, for the report and the rollout). */
export interface AppChange {
  app: string;
  namespace: string;
  host?: string;
  termination: Termination;
  changed: boolean;
  warnings: string[];
  /** The app's objects as applied (a Route's key masked), what was pruned and kept. */
  outcomes: import('../cluster/index.js').ApplyOutcome[];
  pruned: import('../cluster/index.js').ObjectRef[];
  kept: import('../cluster/index.js').ObjectRef[];
  deployments: string[];
}

/** The result of `cert add` and `cert rotate`: the Secret, the certificate, and the apps rendered again. */
export interface CertWriteResult {
  certificate: string;
  namespace: string;
  secret: ApplyAction;
  summary: CertificateSummary;
  key: string;
  apps: AppChange[];
  changed: boolean;
  /** The checks' warnings (reordered chain, expiring soon); the apps' are on each app. */
  warnings: string[];
}

/** What the report and --json say of an app's redeploy. */
export function appChange(redeployed: RedeployResult, host: string | undefined, termination: Termination): AppChange {
  return {
    app: redeployed.app,
    namespace: redeployed.namespace,
    ...(host ? {host} : {}),
    termination,
    changed: redeployed.changed,
    warnings: redeployed.warnings,
    outcomes: redeployed.outcomes,
    pruned: redeployed.pruned,
    kept: redeployed.kept,
    deployments: redeployed.deployments,
  };
}

/** A certificate's name is its Secret's: a DNS subdomain. */
export function checkCertificateName(name: string): string {
  const rule = brokenSubdomainRule(name);
  if (rule) throw usageError(`"${name}" is not a valid certificate name: ${rule}.`, 'name it like a Kubernetes object: lower-case letters, digits, "-" and ".", e.g. web-tls.');
  return name;
}

/**
 * Every check that needs no cluster: the name, the flags that go together, and the files
 * (checkCertificate). Bad input fails here, before a connection is opened.
 */
export async function checkAddInput(request: AddRequest): Promise<CheckedCertificate> {
  checkCertificateName(request.name);
  if (request.termination && !request.app) throw usageError('The --termination flag says how an app\'s Route terminates TLS, and no --app is given.', 'add --app APP, or leave out --termination.');
  return checkCertificate(request.files, {...(request.host ? {hosts: [request.host]} : {}), ...(request.passphrase ? {passphrase: request.passphrase} : {})});
}

/**
 * `cert add`: after the offline checks, the app and its host (which the certificate must cover)
 * are checked, then the kubernetes.io/tls Secret is written and the app rendered again with the
 * certificate on its Route or Ingress. When the app's apply fails, a Secret this run created is
 * deleted again: a refused certificate leaves nothing behind.
 */
export async function addCertificate(session: Session, request: AddRequest, checked: CheckedCertificate, options: {tooling: string; tracker?: ApplyTracker}): Promise<CertWriteResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const existing = await cluster.get<SecretObject>(secretRef(request.name, namespace));
  if (existing) refuseOtherCertificate(existing, checked, request.name);
  let plan: AppPlan | undefined;
  if (request.app) {
    plan = await planAppAttachment(session, {app: request.app, certificate: request.name, host: request.host, termination: request.termination});
    requirePlanHost(plan, checked.leaf);
  }
  const {applyWhenChanged} = await import('../converge/apply-changed.js');
  const [outcome] = await applyWhenChanged(cluster, [tlsSecret(request.name, namespace, checked)], {namespace});
  const secret = outcome?.action ?? 'unchanged';
  const termination = request.termination ?? plan?.stored.certificate?.termination ?? 'edge';
  let redeployed;
  try {
    redeployed = plan ? await attachToApp(session, plan, {secret: request.name, termination}, options) : undefined;
  } catch (error) {
    if (secret === 'created') await cluster.delete(secretRef(request.name, namespace)).catch(() => false);
    throw error;
  }
  return certWriteResult(request.name, namespace, secret, checked, redeployed ? [appChange(redeployed, plan!.host, termination)] : [], checked.warnings);
}

/** What add and rotate report: the Secret's change, the certificate, and the apps rendered again. */
export function certWriteResult(certificate: string, namespace: string, secret: ApplyAction, checked: CheckedCertificate, apps: AppChange[], warnings: string[]): CertWriteResult {
  return {
    certificate,
    namespace,
    secret,
    summary: summarise(checked.leaf),
    key: checked.keyDescription,
    apps,
    changed: secret !== 'unchanged' || apps.some((app) => app.changed),
    warnings,
  };
}

/**
 * `cert add` writes a new certificate or the same one again: a Secret that holds another
 * certificate is replaced with `cert rotate`, and a Secret gshift did not write is not touched.
 */
function refuseOtherCertificate(existing: SecretObject, checked: CheckedCertificate, name: string): void {
  const issuer = existing.metadata.annotations?.[CERT_MANAGER_CERTIFICATE_ANNOTATION];
  if (issuer) {
    throw new GshiftError('CONFLICT', `Secret ${name} is issued by cert-manager (Certificate ${issuer}).`, {hint: 'pick another name for this certificate; cert-manager renews that one itself.', details: {certificate: name}});
  }
  if (!isGshiftSecret(existing)) {
    throw new GshiftError('CONFLICT', `A Secret named ${name} already exists, and gshift did not write it.`, {hint: 'pick another name for the certificate, or remove that Secret if nothing uses it.', details: {certificate: name}});
  }
  const current = secretCertificates(existing)[0];
  if (current && current.fingerprint256 !== checked.leaf.fingerprint256) {
    throw new GshiftError('CONFLICT', `Certificate ${name} already exists with another certificate (${summarise(current).subject}, expires ${current.validToDate.toISOString().slice(0, 10)}).`, {
      hint: `replace it with gshift cert rotate ${name} --cert FILE --key FILE.`,
      details: {certificate: name},
    });
  }
}
