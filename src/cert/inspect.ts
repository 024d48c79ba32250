import {X509Certificate} from 'node:crypto';

const DAY_MS = 86_400_000;

/** The DNS names among a certificate's subject alternative names. */
export function dnsNames(cert: X509Certificate): string[] {
  return sanEntries(cert)
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
}

/** "DNS:a.example.com", "IP Address:10.0.0.1", …: Node's rendering, split. */
export function sanEntries(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((entry) => entry.trim().replace(/^"|"$/g, ''))
    .filter(Boolean);
}

/** A certificate's subject or issuer on one line: "CN=web.example.com, O=Shop". */
/** Undefined for an empty name (cert-manager issues leaves with SANs only). */
export const oneLine = (name: string | undefined) => (name ?? '').split('\n').filter(Boolean).reverse().join(', ');

/** Whole days from `now` to the end of validity; negative once expired. */
export const daysLeft = (cert: X509Certificate, now: Date = new Date()) => Math.floor((cert.validToDate.getTime() - now.getTime()) / DAY_MS);

/** What `cert list` shows of one certificate. */
export interface CertificateSummary {
  subject: string;
  sans: string[];
  issuer: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  fingerprint: string;
}

export function summarise(cert: X509Certificate, now: Date = new Date()): CertificateSummary {
  return {
    subject: oneLine(cert.subject),
    sans: sanEntries(cert).map((entry) => entry.replace(/^DNS:/, '')),
    issuer: oneLine(cert.issuer),
    notBefore: cert.validFromDate.toISOString(),
    notAfter: cert.validToDate.toISOString(),
    daysLeft: daysLeft(cert, now),
    fingerprint: cert.fingerprint256,
  };
}

/** The certificates of a PEM bundle (a Secret's tls.crt), leaf first as stored; blocks that do not parse are skipped. */
export function certificatesOf(pem: string): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  for (const match of pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)) {
    try {
      certificates.push(new X509Certificate(match[0]));
    } catch {
      // A damaged block is reported by the caller as "no certificate" when nothing else parses.
    }
  }
  return certificates;
}
