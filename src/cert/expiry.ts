import type {Session} from '../core/session.js';
import {GshiftError, usageError} from '../errors.js';
import type {CertificateEntry} from './list.js';

export interface CertificateListing {
  /** The namespace listed, or the tenant whose environments were. */
  namespace?: string;
  tenant?: string;
  certificates: CertificateEntry[];
  /** Environments left out because the user may not read them. */
  unreadable: {namespace: string; reason: string}[];
}

/** `cert list` and `cert check`: the target namespace's certificates, or with --all-envs those of each of the tenant's environments. */
export async function certificatesFor(session: Session, options: {allEnvs: boolean; now?: Date}): Promise<CertificateListing> {
  const {listCertificates} = await import('./list.js');
  const {cluster, target} = session;
  if (!options.allEnvs) return {namespace: target.namespace, certificates: await listCertificates(cluster, target.namespace, {now: options.now, ...(target.env ? {env: target.env} : {})}), unreadable: []};
  if (!target.tenant) throw usageError('The --all-envs flag lists the certificates of a tenant in all of its environments, and no tenant is known here.', 'pass --tenant, set "tenant" in the gshift config, or -n a namespace of the tenant.');
  const {acrossEnvironments} = await import('../core/environments.js');
  const reading = await acrossEnvironments(target.tenant, session.config.values.environments, (namespace, env) => listCertificates(cluster, namespace, {now: options.now, env}));
  return {tenant: target.tenant, certificates: reading.found.flatMap(({value}) => value), unreadable: reading.unreadable};
}

export interface ExpiryReport {
  warnDays: number;
  failDays: number;
  /** Inside --fail-days, or expired: the reason for exit 13. */
  failing: CertificateEntry[];
  /** Inside --warn-days only. */
  warning: CertificateEntry[];
  /** cert-manager Certificates with no certificate yet: nothing expires, but nothing is served either. */
  pending: CertificateEntry[];
  /** How many certificates were looked at. */
  checked: number;
}

/** Sorts certificates into the windows: fewer whole days left than --fail-days fails, than --warn-days warns. */
export function checkExpiry(certificates: readonly CertificateEntry[], windows: {warnDays: number; failDays: number}): ExpiryReport {
  const report: ExpiryReport = {...windows, failing: [], warning: [], pending: [], checked: certificates.length};
  for (const entry of certificates) {
    if (entry.daysLeft === undefined) report.pending.push(entry);
    else if (entry.daysLeft < windows.failDays) report.failing.push(entry);
    else if (entry.daysLeft < windows.warnDays) report.warning.push(entry);
  }
  const soonest = (a: CertificateEntry, b: CertificateEntry) => (a.daysLeft ?? 0) - (b.daysLeft ?? 0);
  report.failing.sort(soonest);
  report.warning.sort(soonest);
  return report;
}

/** "web-tls in shop-dev (3 days left, 2027-01-05)", "route/web in shop-dev (expired 2 days ago)". */
export function describeExpiry(entry: CertificateEntry): string {
  const days = entry.daysLeft ?? 0;
  const when = days < 0 ? `expired ${-days} day${days === -1 ? '' : 's'} ago` : `${days} day${days === 1 ? '' : 's'} left`;
  return `${entry.name} in ${entry.namespace} (${when}, ${entry.notAfter?.slice(0, 10)})`;
}

/** Exit 13: the certificates inside --fail-days, each named. */
export function expiringError(report: ExpiryReport): GshiftError {
  const count = report.failing.length;
  return new GshiftError('CERT_EXPIRING', `${count} certificate${count === 1 ? '' : 's'} expire${count === 1 ? 's' : ''} within ${report.failDays} days or ha${count === 1 ? 's' : 've'} expired: ${report.failing.map(describeExpiry).join('; ')}.`, {
    hint: 'renew them: gshift cert rotate NAME --cert FILE --key FILE, or gshift cert issue for cert-manager to renew them from then on.',
    details: {failDays: report.failDays, warnDays: report.warnDays, failing: report.failing, warning: report.warning},
  });
}
