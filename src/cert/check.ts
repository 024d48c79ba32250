import {X509Certificate} from 'node:crypto';

import {usageError} from '../errors.js';
import {isSelfSigned, orderChain, verifyToCa} from './chain.js';
import {checkHostName, requireHosts} from './hosts.js';
import {dnsNames, oneLine} from './inspect.js';
import {describeKey, keyBlock, keyPem, loadPrivateKey, weakKeyReason} from './key.js';
import {readPemFile, type MaterialRole, type PemBlock} from './pem.js';
import {weakSignature} from './signature.js';
import {checkValidity} from './validity.js';

export interface CertificateFiles {
  cert: string;
  key: string;
  ca?: string;
}

export interface CheckOptions {
  /** Hosts the certificate must cover. */
  hosts?: readonly string[];
  /** The key's passphrase, asked only when the key is encrypted; undefined when it cannot be had. */
  passphrase?: () => Promise<string | undefined>;
  now?: Date;
  warnDays?: number;
}

/** Certificate material that passed every check, in the shapes the Secret and the router need. */
export interface CheckedCertificate {
  leaf: X509Certificate;
  /** Leaf first, then its intermediates (no --ca certificate). */
  chain: X509Certificate[];
  /** The leaf alone (a Route's spec.tls.certificate). */
  certificatePem: string;
  /** The intermediates (a Route's spec.tls.caCertificate); empty when there are none. */
  intermediatesPem: string;
  /** Leaf and intermediates (a Secret's tls.crt). */
  chainPem: string;
  /** The key as PKCS#8, decrypted in memory when it was encrypted (tls.key, spec.tls.key). */
  keyPem: string;
  /** The --ca file's certificates (ca.crt, a reencrypt Route's destinationCACertificate is not this). */
  caPem?: string;
  dnsNames: string[];
  keyDescription: string;
  warnings: string[];
}

const certificatesIn = (role: MaterialRole, file: string, blocks: readonly PemBlock[]): X509Certificate[] => {
  const certs = blocks.filter((block) => block.label === 'CERTIFICATE');
  if (certs.length === 0) {
    throw usageError(`The --${role} file ${file} holds no certificate (it has ${blocks.map((block) => block.label).join(', ')}).`, role === 'cert' ? 'pass the certificate file (-----BEGIN CERTIFICATE-----) as --cert and the key as --key.' : 'pass the CA certificate file as --ca.', {check: 'no-certificate', file});
  }
  return certs.map((block, index) => {
    try {
      return new X509Certificate(block.text);
    } catch (error) {
      throw usageError(`Certificate ${index + 1} in --${role} ${file} does not parse: ${(error as Error).message}.`, 'check the file is not truncated or edited.', {check: 'bad-certificate', file});
    }
  });
};

const pemOf = (certs: readonly X509Certificate[]) => certs.map((cert) => cert.toString()).join('');

/**
 * Every check `cert add` and `cert rotate` make before anything is written: the files parse as
 * PEM, the key decrypts and matches, keys are strong, the chain is ordered and verifies to --ca,
 * no MD5/SHA-1 signature, valid now, and the hosts are covered. Throws the first failure as a
 * usage error whose details name the check; returns warnings for what it put right or noticed.
 */
export async function checkCertificate(files: CertificateFiles, options: CheckOptions = {}): Promise<CheckedCertificate> {
  for (const host of options.hosts ?? []) checkHostName(host);
  const certs = certificatesIn('cert', files.cert, await readPemFile('cert', files.cert));
  const block = keyBlock(files.key, await readPemFile('key', files.key));
  const cas = files.ca ? certificatesIn('ca', files.ca, await readPemFile('ca', files.ca)) : undefined;
  const {key} = await loadPrivateKey(files.key, block, options.passphrase ?? (async () => undefined));
  const warnings: string[] = [];

  const ordered = orderChain(files.cert, certs, key);
  const weakKey = weakKeyReason(key);
  if (weakKey) throw usageError(`The key is too weak: ${weakKey}.`, 'generate a new key (e.g. openssl req -newkey rsa:2048, or -newkey ec -pkeyopt ec_paramgen_curve:P-256) and have the certificate issued again.', {check: 'weak-key', key: describeKey(key)});
  // The root of a chain is trusted by name, not by its signature; it is not sent to clients either.
  const stored = ordered.chain.filter((cert, index) => index === 0 || !isSelfSigned(cert));
  for (const cert of ordered.chain.slice(1)) {
    const weak = weakKeyReason(cert.publicKey);
    if (weak) throw usageError(`The chain has a weak key: ${oneLine(cert.subject)} has ${weak}.`, 'get a chain from a CA with current keys.', {check: 'weak-key'});
  }
  if (ordered.reordered) warnings.push(`the chain in ${files.cert} was not in leaf → intermediate order; gshift stores it in that order (${ordered.chain.map((cert) => oneLine(cert.subject)).join(' → ')}).`);
  if (ordered.unrelated.length > 0) warnings.push(`left out ${ordered.unrelated.map((cert) => oneLine(cert.subject)).join(', ')} from ${files.cert}: not part of the leaf's chain.`);
  const completion = cas ? verifyToCa(ordered.chain, cas, files.ca!) : [];
  for (const cert of [...stored, ...completion.filter((cert) => !isSelfSigned(cert))]) {
    const weak = weakSignature(cert);
    if (weak) throw usageError(`${cert === ordered.chain[0] ? 'The certificate' : oneLine(cert.subject)} is signed with ${weak}: MD5 and SHA-1 signatures can be forged, and browsers refuse them.`, 'have it issued again with a SHA-256 (or stronger) signature.', {check: 'weak-signature', algorithm: weak});
  }
  const expiry = checkValidity([...ordered.chain, ...completion], options.now, options.warnDays);
  if (expiry) warnings.push(expiry);
  if (options.hosts?.length) requireHosts(ordered.chain[0]!, options.hosts);

  return {
    leaf: ordered.chain[0]!,
    chain: stored,
    certificatePem: pemOf(stored.slice(0, 1)),
    intermediatesPem: pemOf(stored.slice(1)),
    chainPem: pemOf(stored),
    keyPem: keyPem(key),
    caPem: cas ? pemOf(cas) : undefined,
    dnsNames: dnsNames(ordered.chain[0]!),
    keyDescription: describeKey(key),
    warnings,
  };
}
