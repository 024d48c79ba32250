import type {X509Certificate} from 'node:crypto';

import {usageError} from '../errors.js';
import {daysLeft, oneLine} from './inspect.js';

/** Warn from this many days before expiry on (`cert add`, `cert rotate`). */
export const WARN_DAYS = 30;

const day = (date: Date) => date.toISOString().slice(0, 10);
const ago = (cert: X509Certificate, now: Date) => {
  const days = Math.floor((now.getTime() - cert.validToDate.getTime()) / 86_400_000);
  return days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
};

/**
 * Refuses a chain with a certificate that has expired or is not yet valid; returns a warning
 * when the first to expire does so within `warnDays`.
 */
export function checkValidity(chain: readonly X509Certificate[], now: Date = new Date(), warnDays = WARN_DAYS): string | undefined {
  for (const [index, cert] of chain.entries()) {
    const which = index === 0 ? 'The certificate' : `Its issuer ${oneLine(cert.subject)}`;
    if (now.getTime() > cert.validToDate.getTime()) {
      throw usageError(`${which} expired on ${day(cert.validToDate)} (${ago(cert, now)}).`, 'renew it with the certificate authority, or issue one with `gshift cert issue`.', {check: 'expired', notAfter: cert.validToDate.toISOString()});
    }
    if (now.getTime() < cert.validFromDate.getTime()) {
      throw usageError(`${which} is not valid yet: it starts on ${cert.validFromDate.toISOString()}.`, 'wait until then, or check the clock of the machine that issued it.', {check: 'not-yet-valid', notBefore: cert.validFromDate.toISOString()});
    }
  }
  const first = [...chain].sort((a, b) => a.validToDate.getTime() - b.validToDate.getTime())[0]!;
  const left = daysLeft(first, now);
  if (left < warnDays) return `${first === chain[0] ? 'the certificate' : `its issuer ${oneLine(first.subject)}`} expires in ${left} day${left === 1 ? '' : 's'} (${day(first.validToDate)}).`;
  return undefined;
}
