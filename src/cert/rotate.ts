import type {ApplyTracker} from '../converge/engine.js';
import type {Session} from '../core/session.js';
import {GshiftError, usageError} from '../errors.js';
import {type AppChange, type CertWriteResult, appChange, certWriteResult, checkCertificateName} from './add.js';
import {appHost, appPlatform, appsUsing} from './apps.js';
import {type CertificateFiles, type CheckedCertificate, checkCertificate} from './check.js';
import {coversHost, namesLost, requireHosts} from './hosts.js';
import {certManagerCertificateOf, isGshiftSecret, requireCertificateSecret, type SecretObject, secretCertificates, tlsSecret} from './secret.js';

export interface RotateRequest {
  name: string;
  files: CertificateFiles;
  /** Accept a certificate that covers fewer hosts than the current one. */
  force: boolean;
  passphrase?: () => Promise<string | undefined>;
}

/** The offline checks of `cert rotate`, the same as `cert add`'s; the hosts are checked against the current certificate later. */
export async function checkRotateInput(request: RotateRequest): Promise<CheckedCertificate> {
  checkCertificateName(request.name);
  return checkCertificate(request.files, request.passphrase ? {passphrase: request.passphrase} : {});
}

/**
 * `cert rotate`: the new certificate must cover every name the current one covers (and the
 * apps' hosts), unless --force; then the Secret is replaced in place and each app that uses it is
 * rendered again, so its Route carries the new certificate (an Ingress reads the Secret itself).
 * When an app's apply fails, the Secret gets its previous content back.
 */
export async function rotateCertificate(session: Session, request: RotateRequest, checked: CheckedCertificate, options: {tooling: string; tracker?: ApplyTracker}): Promise<CertWriteResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const current = await requireCertificateSecret(cluster, namespace, request.name);
  refuseForeignSecret(current, request.name);
  const users = await appsUsing(session, namespace, request.name);
  const warnings = [...checked.warnings];
  const previous = secretCertificates(current)[0];
  const lost = previous ? namesLost(previous, checked.leaf) : [];
  const hosts = await appHosts(session, users.map((user) => user.app));
  const uncovered = hosts.filter((host) => !lost.includes(host) && !coversHost(checked.leaf, host));
  if (lost.length > 0 || uncovered.length > 0) {
    const names = [...lost, ...uncovered];
    if (!request.force) {
      if (uncovered.length > 0 && lost.length === 0) requireHosts(checked.leaf, uncovered);
      throw usageError(`The new certificate does not cover ${names.join(', ')}, which certificate ${request.name} covers now.`, 'get a certificate for the same names, or pass --force to replace it anyway.', {check: 'hosts-changed', missing: names});
    }
    warnings.push(`the new certificate does not cover ${names.join(', ')} (replaced anyway: --force).`);
  }
  const [outcome] = await cluster.apply([tlsSecret(request.name, namespace, checked)], {namespace, force: true});
  const secret = outcome?.action ?? 'unchanged';
  const apps: AppChange[] = [];
  try {
    const {requireInputs, redeploy} = await import('../app/redeploy.js');
    for (const {app, attachment} of users) {
      const {stored} = await requireInputs(session, app);
      const redeployed = await redeploy(session, app, stored, {tooling: options.tooling, ...(options.tracker ? {tracker: options.tracker} : {})});
      apps.push(appChange(redeployed, stored.host, attachment.termination));
    }
  } catch (error) {
    if (secret !== 'unchanged') await cluster.apply([{...current, metadata: {name: current.metadata.name, namespace, labels: current.metadata.labels}}], {namespace, force: true}).catch(() => []);
    throw error;
  }
  return certWriteResult(request.name, namespace, secret, checked, apps, warnings);
}

/** Only what gshift wrote is rotated by gshift: cert-manager renews its own. */
export function refuseForeignSecret(secret: SecretObject, name: string): void {
  const issuer = certManagerCertificateOf(secret);
  if (issuer) {
    throw new GshiftError('CONFLICT', `Certificate ${name} is issued and renewed by cert-manager (Certificate ${issuer}), not replaced by hand.`, {hint: 'cert-manager renews it before it expires; to start again, gshift cert remove it and issue a new one.', details: {certificate: name}});
  }
  if (!isGshiftSecret(secret)) {
    throw new GshiftError('CONFLICT', `Secret ${name} was not written by gshift cert add.`, {hint: 'gshift replaces only the certificates it added; add this one under a new name with gshift cert add.', details: {certificate: name}});
  }
}

/** The hosts the apps are served at. */
async function appHosts(session: Session, apps: readonly string[]): Promise<string[]> {
  if (apps.length === 0) return [];
  const {requireInputs} = await import('../app/redeploy.js');
  const platform = await appPlatform(session);
  const hosts: string[] = [];
  for (const app of apps) {
    const host = await appHost(session, app, (await requireInputs(session, app)).stored, platform);
    if (host) hosts.push(host);
  }
  return hosts;
}
