import type {Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import type {EnvironmentInFile} from './environments.js';
import type {Plan} from './plan.js';

/**
 * `gshift up --prune`: the apps, databases and certificates gshift created in the tenant's
 * environments that the file no longer declares there. Found by what gshift marks as its own
 * (the records `app create` and `db create` write, the labels `cert add` and `cert issue` put on
 * a certificate's Secret and cert-manager Certificate), so nothing gshift did not create is ever
 * a candidate; removed by the services of `app delete`, `db delete` and `cert remove`, volumes
 * (and a database's credentials, without which the volume cannot be read) kept unless purgeData.
 */
export interface PruneCandidate {
  kind: 'app' | 'database' | 'certificate';
  env: string;
  namespace: string;
  name: string;
}

export interface PruneReport extends PruneCandidate {
  /** Kind/name of what was (or, in a dry run, would be) deleted. */
  removed: string[];
  /** Kind/name of what holds data and stays. */
  kept: string[];
  /** For a certificate: the apps rendered again without it. */
  detached?: string[];
}

/** What --prune would remove in the plan's environments (reads only). */
export async function findPrunable(cluster: Cluster, plan: Plan): Promise<PruneCandidate[]> {
  const [{listRecords}, {listDbRecords}] = await Promise.all([import('../app/inventory.js'), import('../db/inventory.js')]);
  const perEnvironment = await Promise.all(
    plan.environments.map(async (environment) => {
      const {namespace} = environment;
      const [apps, databases, certificates] = await Promise.all([listRecords(cluster, namespace), listDbRecords(cluster, namespace), gshiftCertificates(cluster, namespace)]);
      const candidate = (kind: PruneCandidate['kind'], name: string): PruneCandidate => ({kind, env: environment.name, namespace, name});
      return [
        ...apps.filter((record) => !environment.apps.some((app) => app.name === record.app)).map((record) => candidate('app', record.app)),
        ...databases.filter((record) => !environment.databases.some((database) => database.name === record.name)).map((record) => candidate('database', record.name)),
        ...certificates.filter((name) => !declaresCertificate(environment, name)).map((name) => candidate('certificate', name)),
      ];
    }),
  );
  return perEnvironment.flat();
}

const declaresCertificate = (environment: EnvironmentInFile, name: string) => environment.certificates.some((certificate) => certificate.name === name);

/** The certificates gshift made in the namespace: Secrets `cert add` wrote (or cert-manager issued from gshift's template) and `cert issue`'s Certificates. */
async function gshiftCertificates(cluster: Cluster, namespace: string): Promise<string[]> {
  const [{CERT_LABEL, isGshiftSecret}, {listIssuances}, {MANAGED_BY_LABEL, MANAGER}] = await Promise.all([import('../cert/secret.js'), import('../cert/issuance.js'), import('../core/labels.js')]);
  const [secrets, issuances] = await Promise.all([cluster.list<KubeObject>('v1', 'Secret', {namespace, labelSelector: `${CERT_LABEL},${MANAGED_BY_LABEL}=${MANAGER}`}), listIssuances(cluster, namespace)]);
  return [...new Set([...secrets.items.filter(isGshiftSecret), ...issuances].map((object) => object.metadata.name!))].sort();
}

const RANK: Record<PruneCandidate['kind'], number> = {app: 0, certificate: 1, database: 2};

/**
 * Removes the candidates: the apps first (they may still use a database or a certificate), then
 * the certificates (taken off any app that still has one), then the databases.
 */
export async function prune(sessionFor: (candidate: PruneCandidate) => Session, candidates: readonly PruneCandidate[], options: {purgeData: boolean; dryRun: boolean; tooling: string}): Promise<PruneReport[]> {
  const [{planDelete, deleteApp}, {planDbDelete, deleteDatabase}, {planRemoval, removeCertificate}] = await Promise.all([import('../app/delete.js'), import('../db/delete.js'), import('../cert/remove.js')]);
  const key = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;
  const reports: PruneReport[] = [];
  for (const candidate of [...candidates].sort((a, b) => RANK[a.kind] - RANK[b.kind])) {
    const session = sessionFor(candidate);
    const {cluster} = session;
    if (candidate.kind === 'app') {
      const plan = await planDelete(cluster, candidate.namespace, candidate.name, {purgeData: options.purgeData});
      if (!options.dryRun) await deleteApp(cluster, plan);
      reports.push({...candidate, removed: plan.remove.map(key), kept: plan.keep.map(key)});
    } else if (candidate.kind === 'certificate') {
      const plan = await planRemoval(session, candidate.name);
      const removed = [...(plan.issuer ? [`Certificate/${candidate.name}`] : []), ...(plan.secret ? [`Secret/${candidate.name}`] : [])];
      if (!options.dryRun) await removeCertificate(session, plan, {tooling: options.tooling});
      reports.push({...candidate, removed, kept: [], ...(plan.apps.length > 0 ? {detached: plan.apps} : {})});
    } else {
      // The file's apps no longer attach it (their steps rendered them so): nothing to detach.
      const plan = await planDbDelete(cluster, candidate.namespace, candidate.name, {purgeData: options.purgeData, force: true});
      if (!options.dryRun) await deleteDatabase(cluster, plan);
      reports.push({...candidate, removed: plan.remove.map(key), kept: plan.keep.map(key)});
    }
  }
  return reports;
}
