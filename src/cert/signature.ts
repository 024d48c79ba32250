import type {X509Certificate} from 'node:crypto';

// MD5, MD4 and SHA-1 signature OIDs (RSA, ECDSA, DSA): collisions are practical for all of them.
const WEAK_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.3': 'md4WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSASignature',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10040.4.3': 'dsa-with-sha1',
};

/** The signature algorithm's OID: Node's own field where it has one, else read from the DER. */
export function signatureOid(cert: X509Certificate): string | undefined {
  const own = (cert as X509Certificate & {signatureAlgorithmOid?: string}).signatureAlgorithmOid;
  return own ?? outerSignatureOid(cert.raw);
}

/** The name of an MD5/SHA-1 signature on this certificate, or undefined when it is signed with something sound. */
export function weakSignature(cert: X509Certificate): string | undefined {
  const oid = signatureOid(cert);
  return oid ? WEAK_OIDS[oid] : undefined;
}

interface Element {
  tag: number;
  start: number;
  end: number;
}

function element(der: Buffer, at: number): Element {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    length = 0;
    for (let index = 0; index < bytes; index++) length = length * 256 + der[start + index]!;
    start += bytes;
  }
  return {tag, start, end: start + length};
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm SEQUENCE { OID, … }, signature }. */
function outerSignatureOid(der: Buffer): string | undefined {
  try {
    const certificate = element(der, 0);
    const tbs = element(der, certificate.start);
    const algorithm = element(der, tbs.end);
    const oid = element(der, algorithm.start);
    if (oid.tag !== 0x06) return undefined;
    const bytes = der.subarray(oid.start, oid.end);
    const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
    let value = 0;
    for (const byte of bytes.subarray(1)) {
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) {
        parts.push(value);
        value = 0;
      }
    }
    return parts.join('.');
  } catch {
    return undefined;
  }
}
