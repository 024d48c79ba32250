import type {ApplyOutcome, KubeObject} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import type {CertificateFiles} from './check.js';
import type {IssuerRef} from './issuance.js';

/**
 * A certificate as gshift.yaml declares it (gshift up's certificate step), before the app that
 * serves it is rendered with it: from files, the kubernetes.io/tls Secret `cert add` writes
 * (replaced in place when the files change, as `cert rotate` does: the file is the truth); from
 * an issuer, the cert-manager Certificate `cert issue` applies, waited for until issued. Each is
 * written only when a server-side dry run says it would change, so a re-run writes nothing.
 */
export interface DeclaredCertificate {
  name: string;
  host: string;
  files?: CertificateFiles;
  issuer?: {issuer?: string; clusterIssuer?: string};
}

export interface DeclaredResult {
  /** The Secret or the Certificate (a Secret's values masked). */
  outcome: ApplyOutcome;
  /** cert-manager has issued it (always true for files). */
  ready: boolean;
  warnings: string[];
}

export interface DeclaredOptions {
  dryRun: boolean;
  /** With dryRun: the namespace does not exist yet, so the object is reported as it would be created. */
  namespacePending: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Called before the wait for cert-manager. */
  onIssuing?: () => void;
}

export async function convergeCertificate(session: Session, declared: DeclaredCertificate, options: DeclaredOptions): Promise<DeclaredResult> {
  const {withoutSecretValues} = await import('../app/apply.js');
  const result = declared.files ? await fromFiles(session, declared, declared.files, options) : await issued(session, declared, declared.issuer ?? {}, options);
  return {...result, outcome: withoutSecretValues(result.outcome)};
}

/** A dry run in a namespace the same run makes: the server cannot rehearse it, so it is what would be created. */
const pendingOutcome = (object: KubeObject): ApplyOutcome => ({ref: {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name!, namespace: object.metadata.namespace}, action: 'created', object, warnings: []});

async function fromFiles(session: Session, declared: DeclaredCertificate, files: CertificateFiles, options: DeclaredOptions): Promise<DeclaredResult> {
  const [{checkCertificate}, {refuseForeignSecret}, {secretRef, tlsSecret}, {applyWhenChanged}] = await Promise.all([
    import('./check.js'),
    import('./rotate.js'),
    import('./secret.js'),
    import('../converge/apply-changed.js'),
  ]);
  const {cluster, target} = session;
  const namespace = target.namespace;
  const checked = await checkCertificate(files, {hosts: [declared.host]});
  const object = tlsSecret(declared.name, namespace, checked);
  if (options.namespacePending) return {outcome: pendingOutcome(object), ready: true, warnings: checked.warnings};
  const existing = await cluster.get(secretRef(declared.name, namespace));
  if (existing) refuseForeignSecret(existing, declared.name);
  const [outcome] = await applyWhenChanged(cluster, [object], {namespace, dryRun: options.dryRun});
  return {outcome: outcome!, ready: true, warnings: checked.warnings};
}

async function issued(session: Session, declared: DeclaredCertificate, issuer: {issuer?: string; clusterIssuer?: string}, options: DeclaredOptions): Promise<DeclaredResult> {
  const [{applyIssuance, requireCertManager, requireIssuer}, {certificateObject, certificateReady, waitForCertificate}] = await Promise.all([import('./issue.js'), import('./issuance.js')]);
  const {cluster, target} = session;
  const namespace = target.namespace;
  requireCertManager(await cluster.discovery());
  const ref: IssuerRef = await requireIssuer(session, issuer);
  if (options.namespacePending) return {outcome: pendingOutcome(certificateObject(declared.name, namespace, declared.host, ref)), ready: false, warnings: []};
  const {outcome} = await applyIssuance(cluster, {name: declared.name, namespace, host: declared.host, issuer: ref}, {dryRun: options.dryRun});
  // Unchanged and issued: the rehearsal answered with the Certificate as stored, status included.
  if (certificateReady(outcome.object)) return {outcome, ready: true, warnings: []};
  if (options.dryRun || !options.wait) {
    return {outcome, ready: false, warnings: options.dryRun ? [] : [`cert-manager has not issued certificate ${declared.name} yet: the Route of its app gets it with a later gshift up.`]};
  }
  options.onIssuing?.();
  await waitForCertificate(cluster, {name: declared.name, namespace, timeoutMs: options.timeoutMs});
  return {outcome, ready: true, warnings: []};
}
