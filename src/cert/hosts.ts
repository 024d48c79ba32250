import {isIP} from 'node:net';
import type {X509Certificate} from 'node:crypto';

import {usageError} from '../errors.js';
import {brokenSubdomainRule} from '../core/names.js';
import {sanEntries} from './inspect.js';

/**
 * Whether the certificate is valid for the host, as RFC 6125 says: a wildcard stands for exactly
 * one whole left-most label (so "*.example.com" covers "a.example.com", not "example.com" nor
 * "a.b.example.com", and "w*.example.com" nothing), and the subject CN counts only when there are
 * no DNS names among the SANs.
 */
export function coversHost(cert: X509Certificate, host: string): boolean {
  if (isIP(host)) return cert.checkIP(host) !== undefined;
  return cert.checkHost(host.toLowerCase(), {subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false}) !== undefined;
}

export function checkHostName(host: string, flag = '--host'): void {
  if (isIP(host)) return;
  const rule = brokenSubdomainRule(host.toLowerCase(), {minLabels: 1});
  if (rule) throw usageError(`"${host}" (${flag}) is not a host name: ${rule}.`, 'pass a DNS name such as web.apps.example.com.', {check: 'bad-host'});
}

/** Refuses the hosts the certificate does not cover, listing what it does. */
export function requireHosts(cert: X509Certificate, hosts: readonly string[]): void {
  const missing = hosts.filter((host) => !coversHost(cert, host));
  if (missing.length === 0) return;
  const names = sanEntries(cert);
  const covered = names.length > 0 ? `its SANs are ${names.join(', ')}` : `it has no SANs (subject ${(cert.subject ?? '').replaceAll('\n', ', ')})`;
  throw usageError(`The certificate does not cover ${missing.join(', ')}: ${covered}.`, 'get a certificate whose subjectAltName lists the host (a wildcard covers one label only, not the bare domain), or pass the host it was issued for.', {check: 'host-not-covered', missing});
}

/**
 * The names (DNS and IP SANs) the current certificate covers that its replacement does not: a
 * wildcard is kept only by the same wildcard, a name by any SAN that covers it (RFC 6125).
 */
export function namesLost(current: X509Certificate, replacement: X509Certificate): string[] {
  const replacementWildcards = new Set(sanEntries(replacement).filter((entry) => entry.startsWith('DNS:*.')).map((entry) => entry.slice(4).toLowerCase()));
  return sanEntries(current).flatMap((entry) => {
    const [type, value] = [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)];
    if (type === 'DNS' && value.startsWith('*.')) return replacementWildcards.has(value.toLowerCase()) ? [] : [value];
    if (type === 'DNS' || type === 'IP Address') return coversHost(replacement, value) ? [] : [value];
    return [];
  });
}
