import {createPrivateKey, type KeyObject} from 'node:crypto';

import {usageError} from '../errors.js';
import type {PemBlock} from './pem.js';

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);

export const isEncryptedKey = (block: PemBlock) => block.label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,ENCRYPTED/m.test(block.text);

/** The single private key block of a --key file, refusing a certificate or several keys given as the key. */
export function keyBlock(file: string, blocks: readonly PemBlock[]): PemBlock {
  const keys = blocks.filter((block) => KEY_LABELS.has(block.label));
  if (keys.length === 0) {
    throw usageError(`The --key file ${file} holds no private key (it has ${blocks.map((block) => block.label).join(', ')}).`, 'pass the private key file (-----BEGIN PRIVATE KEY-----) that belongs to the certificate.', {check: 'no-key', file});
  }
  if (keys.length > 1) throw usageError(`The --key file ${file} holds ${keys.length} private keys; gshift needs exactly one.`, 'keep only the key that belongs to the certificate in the file.', {check: 'several-keys', file});
  return keys[0]!;
}

/**
 * The private key, decrypted in memory when it is encrypted. `passphrase` is asked only for an
 * encrypted key; it returns undefined when there is no way to ask (no TTY, no env var).
 */
export async function loadPrivateKey(file: string, block: PemBlock, passphrase: () => Promise<string | undefined>): Promise<{key: KeyObject; encrypted: boolean}> {
  const encrypted = isEncryptedKey(block);
  if (!encrypted) {
    try {
      return {key: createPrivateKey({key: block.text, format: 'pem'}), encrypted};
    } catch (error) {
      const hint = mislabelledRsaKey(block)
        ? 'its label does not match its contents, a PKCS#1 RSA key: change its first and last lines to "-----BEGIN RSA PRIVATE KEY-----" and "-----END RSA PRIVATE KEY-----" (gshift stores it as PKCS#8).'
        : 'pass an unencrypted or PKCS#8-encrypted PEM private key.';
      throw usageError(`The --key file ${file} does not parse as a private key: ${(error as Error).message}.`, hint, {check: 'bad-key', file});
    }
  }
  const secret = await passphrase();
  if (secret === undefined) {
    throw usageError(`The --key file ${file} is encrypted, and there is no passphrase and no terminal to ask for one.`, 'put the passphrase in an environment variable and pass --key-passphrase-env VAR.', {check: 'passphrase-missing', file});
  }
  try {
    return {key: createPrivateKey({key: block.text, format: 'pem', passphrase: secret}), encrypted};
  } catch {
    throw usageError(`The --key file ${file} could not be decrypted: the passphrase is wrong.`, 'check the passphrase (from --key-passphrase-env or the prompt).', {check: 'passphrase-wrong', file});
  }
}

/** A PKCS#1 RSA key under a PKCS#8 label: what broke OpenShift routers in openshift/origin#16359. */
function mislabelledRsaKey(block: PemBlock): boolean {
  if (block.label !== 'PRIVATE KEY') return false;
  try {
    createPrivateKey({key: block.text.replaceAll('PRIVATE KEY-----', 'RSA PRIVATE KEY-----'), format: 'pem'});
    return true;
  } catch {
    return false;
  }
}

const STRONG_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const CURVE_NAMES: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521'};

/** "RSA 2048", "EC P-256", "Ed25519": how a key is named to the user. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${details.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve ?? '?'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return String(key.asymmetricKeyType ?? 'unknown').toUpperCase();
  }
}

/** Why a key (private or a certificate's public one) is too weak, or undefined when it is strong enough. */
export function weakKeyReason(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return (details.modulusLength ?? 0) >= 2048 ? undefined : `${describeKey(key)} is below the 2048 bits RSA needs`;
    case 'ec':
      return STRONG_CURVES.has(details.namedCurve ?? '') ? undefined : `${describeKey(key)} is not P-256, P-384 or P-521`;
    case 'ed25519':
    case 'ed448':
      return undefined;
    default:
      return `${describeKey(key)} keys are not accepted (use RSA ≥ 2048, EC P-256 or better, or Ed25519)`;
  }
}

/**
 * The key as the Secret and the router get it: always PKCS#8 ("BEGIN PRIVATE KEY"), exported from
 * the parsed key (decrypted in memory when it was encrypted; never on disk). Routers have broken
 * on a key whose PEM label did not match its contents (openshift/origin#16359) and on EC
 * parameter blocks beside the key: a re-export has neither.
 */
export function keyPem(key: KeyObject): string {
  return key.export({type: 'pkcs8', format: 'pem'}).toString();
}
