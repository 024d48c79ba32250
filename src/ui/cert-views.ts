import type {CertificateSummary} from '../cert/inspect.js';
import type {CertificateEntry} from '../cert/list.js';
import {renderTable} from './table.js';

/** What the cert commands print for people (strings only: the commands write them). */

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "Certificate web-tls: CN=web for web.example.com, www.example.com; issued by …; expires 2027-03-04 (89 days); EC P-256." */
export function certificateLine(name: string, summary: CertificateSummary, key?: string): string {
  const names = summary.sans.length > 0 ? ` for ${summary.sans.join(', ')}` : '';
  const left = summary.daysLeft < 0 ? 'expired' : plural(summary.daysLeft, 'day');
  return `Certificate ${name}: ${summary.subject || '(no subject)'}${names}; issued by ${summary.issuer}; expires ${summary.notAfter.slice(0, 10)} (${left})${key ? `; ${key}` : ''}.`;
}

/** Colours for the days left: the command passes chalk's, bound to stdout's colour level. */
export interface UrgencyColours {
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
}

const plain: UrgencyColours = {red: (text) => text, yellow: (text) => text, green: (text) => text};

/** Days left, coloured by urgency: red inside the fail window (or expired), yellow inside the warn window, green after. */
export function daysCell(entry: Pick<CertificateEntry, 'daysLeft'>, windows: {warnDays: number; failDays: number}, colours: UrgencyColours = plain): string {
  if (entry.daysLeft === undefined) return '-';
  const text = entry.daysLeft < 0 ? 'expired' : String(entry.daysLeft);
  if (entry.daysLeft < windows.failDays) return colours.red(text);
  return entry.daysLeft < windows.warnDays ? colours.yellow(text) : colours.green(text);
}

const list = (values: readonly string[] | undefined) => (values && values.length > 0 ? values.join(',') : '-');

export function certListView(
  certificates: readonly CertificateEntry[],
  options: {where: string; wide?: boolean; allEnvs?: boolean; colours?: UrgencyColours; windows?: {warnDays: number; failDays: number}},
): string {
  if (certificates.length === 0) return `No certificates in ${options.where}. Add one with: gshift cert add NAME --cert FILE --key FILE --app APP`;
  const windows = options.windows ?? {warnDays: 30, failDays: 7};
  const headers = [...(options.allEnvs ? ['env'] : []), 'name', 'hosts', 'issuer', 'not after', 'days', 'apps', 'renewed by', ...(options.wide ? ['namespace', 'subject', 'source', 'status', 'stale routes'] : [])];
  return renderTable(
    headers,
    certificates.map((entry) => [
      ...(options.allEnvs ? [entry.env ?? '-'] : []),
      entry.name,
      list(entry.sans),
      entry.issuer ?? '-',
      entry.notAfter?.slice(0, 10) ?? '-',
      daysCell(entry, windows, options.colours),
      list(entry.apps),
      entry.renewedBy ? `cert-manager (${entry.renewedBy})` : entry.copyOf ? `stale copy of ${entry.copyOf}` : '-',
      ...(options.wide ? [entry.namespace, entry.subject || '-', entry.source, entry.status ?? '-', list(entry.staleRoutes)] : []),
    ]),
  );
}
