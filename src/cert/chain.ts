import type {KeyObject, X509Certificate} from 'node:crypto';

import {usageError} from '../errors.js';
import {oneLine} from './inspect.js';

/** True when `parent` issued `child`: names and key identifiers agree and the signature verifies. */
export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

export const isSelfSigned = (cert: X509Certificate) => issuedBy(cert, cert);

const name = (cert: X509Certificate) => oneLine(cert.subject) || cert.fingerprint256;

export interface OrderedChain {
  /** Leaf first, then each issuer in turn. */
  chain: X509Certificate[];
  /** The file had them in another order. */
  reordered: boolean;
  /** Certificates in the file that are not on the leaf's path (left out of what is stored). */
  unrelated: X509Certificate[];
}

/**
 * Finds the leaf (the certificate the key belongs to) and puts its issuers after it, whatever
 * order the file had them in. Refuses a key that belongs to none of the certificates.
 */
export function orderChain(file: string, certs: readonly X509Certificate[], key: KeyObject): OrderedChain {
  const leaf = certs.find((cert) => cert.checkPrivateKey(key));
  if (!leaf) {
    const first = certs.find((cert) => !cert.ca) ?? certs[0]!;
    throw usageError(`The key does not match the certificate in --cert ${file} (${name(first)}): it belongs to another certificate.`, 'pass the key that was generated with this certificate\'s signing request.', {check: 'key-mismatch'});
  }
  const chain = [leaf];
  const rest = certs.filter((cert) => cert !== leaf);
  for (let top = leaf; !isSelfSigned(top); ) {
    const parent = rest.find((cert) => !chain.includes(cert) && issuedBy(top, cert));
    if (!parent) break;
    if (!parent.ca) throw usageError(`${name(parent)} in --cert ${file} signed ${name(top)} but is not a CA certificate, so clients will refuse the chain.`, 'get the chain from the certificate authority again.', {check: 'chain-not-ca'});
    chain.push(parent);
    top = parent;
  }
  const reordered = chain.some((cert, index) => certs.indexOf(cert) !== index);
  return {chain, reordered, unrelated: certs.filter((cert) => !chain.includes(cert))};
}

/**
 * The CA certificates that complete the chain to a --ca certificate (empty when the chain itself
 * ends at one). Refuses a chain that reaches none of them.
 */
export function verifyToCa(chain: readonly X509Certificate[], cas: readonly X509Certificate[], caFile: string): X509Certificate[] {
  const trusted = (cert: X509Certificate) => cas.some((ca) => ca.fingerprint256 === cert.fingerprint256);
  const completion: X509Certificate[] = [];
  let top = chain.at(-1)!;
  while (!trusted(top)) {
    const parent = cas.find((ca) => !completion.includes(ca) && issuedBy(top, ca));
    if (!parent) {
      const why = isSelfSigned(top) ? `it ends at the self-signed ${name(top)}, which is not in --ca ${caFile}` : `nothing in --ca ${caFile} signed ${name(top)} (issued by ${oneLine(top.issuer)})`;
      throw usageError(`The certificate chain does not verify to the CA: ${why}.`, 'add the missing intermediate certificates to --cert after the leaf, or pass the CA that issued them as --ca.', {check: 'chain-unverified'});
    }
    completion.push(parent);
    top = parent;
  }
  return completion;
}
