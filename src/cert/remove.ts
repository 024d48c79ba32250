import type {ApplyTracker} from '../converge/engine.js';
import type {KubeObject} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import {MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';
import {GshiftError, notFoundError} from '../errors.js';
import {type AppChange, appChange} from './add.js';
import {appsUsing, detachFromApp} from './apps.js';
import {CERT_MANAGER_API} from './list.js';
import {CERT_LABEL, certManagerCertificateOf, isGshiftSecret, type SecretObject, secretRef} from './secret.js';

/** What `cert remove` will do, read before the confirmation is asked. */
export interface RemovalPlan {
  certificate: string;
  namespace: string;
  secret?: SecretObject;
  /** The cert-manager Certificate `gshift cert issue` made, when there is one. */
  issuer?: KubeObject;
  apps: string[];
}

export interface RemovalResult {
  certificate: string;
  namespace: string;
  /** What was deleted: the Secret and/or the cert-manager Certificate. */
  deleted: string[];
  apps: AppChange[];
}

const certificateRef = (name: string, namespace: string) => ({apiVersion: CERT_MANAGER_API, kind: 'Certificate', name, namespace});
const isGshiftObject = (object: KubeObject, name: string) => object.metadata.labels?.[CERT_LABEL] === name && object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER;

/** Reads the certificate's Secret, its cert-manager Certificate and the apps that use it; refuses what gshift did not make. */
export async function planRemoval(session: Session, name: string): Promise<RemovalPlan> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const discovery = await cluster.discovery();
  const [secret, issuer, users] = await Promise.all([
    cluster.get<SecretObject>(secretRef(name, namespace)),
    discovery.hasKind(CERT_MANAGER_API, 'Certificate') ? cluster.get(certificateRef(name, namespace)) : Promise.resolve(undefined),
    appsUsing(session, namespace, name),
  ]);
  const ours = issuer && isGshiftObject(issuer, name) ? issuer : undefined;
  if (!secret && !ours && users.length === 0) {
    throw notFoundError(`No certificate "${name}" in namespace "${namespace}".`, 'gshift cert list shows the certificates there are.', {certificate: name, namespace});
  }
  if (secret && !isGshiftSecret(secret) && !(ours && certManagerCertificateOf(secret) === name)) {
    throw new GshiftError('CONFLICT', `Secret ${name} was not made by gshift cert add or gshift cert issue, so gshift does not delete it.`, {hint: 'remove it with kubectl if nothing uses it.', details: {certificate: name}});
  }
  return {certificate: name, namespace, ...(secret ? {secret} : {}), ...(ours ? {issuer: ours} : {}), apps: users.map((user) => user.app)};
}

/**
 * `cert remove`: each app that uses the certificate is rendered again without it (its Route back
 * on the router's certificate, its Ingress without tls), then the cert-manager Certificate (so it
 * does not issue the Secret again) and the Secret are deleted.
 */
export async function removeCertificate(session: Session, plan: RemovalPlan, options: {tooling: string; tracker?: ApplyTracker & {deleted?: import('../cluster/index.js').ObjectRef[]}}): Promise<RemovalResult> {
  const {cluster} = session;
  const apps: AppChange[] = [];
  for (const app of plan.apps) {
    const redeployed = await detachFromApp(session, app, options);
    apps.push(appChange(redeployed, redeployed.inputs.host, 'edge'));
  }
  const deleted: string[] = [];
  if (plan.issuer) {
    const ref = certificateRef(plan.certificate, plan.namespace);
    if (await cluster.delete(ref)) deleted.push(`Certificate ${plan.certificate}`);
    options.tracker?.deleted?.push(ref);
  }
  if (plan.secret) {
    const ref = secretRef(plan.certificate, plan.namespace);
    if (await cluster.delete(ref)) deleted.push(`Secret ${plan.certificate}`);
    options.tracker?.deleted?.push(ref);
  }
  return {certificate: plan.certificate, namespace: plan.namespace, deleted, apps};
}
