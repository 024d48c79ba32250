import {beforeAll, describe, expect, it} from '@jest/globals';
import {X509Certificate} from 'node:crypto';
import {writeFileSync} from 'node:fs';

import {checkCertificate, type CertificateFiles, type CheckOptions} from '../../../src/cert/check.ts';
import {coversHost} from '../../../src/cert/hosts.ts';
import {makeMaterial, type Material} from '../../support/cert-material.ts';

let m: Material;

beforeAll(() => {
  m = makeMaterial();
  m.leaf('web', {sans: 'DNS:web.example.com,DNS:www.example.com'});
  m.leaf('wildcard', {sans: 'DNS:*.apps.example.com'});
  m.leaf('cn-only', {subject: '/CN=legacy.example.com'});
  m.leaf('cn-and-san', {subject: '/CN=other.example.com', sans: 'DNS:web.example.com'});
  m.leaf('expired', {sans: 'DNS:web.example.com', from: -60, to: -2});
  m.leaf('future', {sans: 'DNS:web.example.com', from: 5, to: 90});
  m.leaf('soon', {sans: 'DNS:web.example.com', to: 10.5});
  m.leaf('weak', {sans: 'DNS:web.example.com', key: ['-newkey', 'rsa:1024', '-nodes']});
  m.leaf('rsa', {sans: 'DNS:web.example.com', key: ['-newkey', 'rsa:2048', '-nodes']});
  m.leaf('ed', {sans: 'DNS:web.example.com', key: ['-newkey', 'ed25519', '-nodes']});
  m.leaf('sha1', {sans: 'DNS:web.example.com', digest: 'sha1'});
  m.openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'other-root.key', '-out', 'other-root.crt', '-days', '30', '-subj', '/CN=some other root');
  const pem = (name: string) => m.read(name);
  writeFileSync(m.path('web-chain.pem'), pem('web.crt') + pem('intermediate.crt'));
  writeFileSync(m.path('shuffled.pem'), pem('intermediate.crt') + pem('web.crt'));
  writeFileSync(m.path('with-root.pem'), pem('web.crt') + pem('intermediate.crt') + pem('root.crt'));
  writeFileSync(m.path('bundle.pem'), pem('intermediate.crt') + pem('root.crt'));
  m.openssl('x509', '-in', 'web.crt', '-outform', 'der', '-out', 'web.der');
  m.openssl('pkey', '-in', 'web.key', '-outform', 'der', '-out', 'web-key.der');
  m.openssl('pkey', '-in', 'web.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'web-encrypted.key');
});

const files = (cert: string, key: string, ca?: string): CertificateFiles => ({cert: m.path(cert), key: m.path(key), ...(ca ? {ca: m.path(ca)} : {})});
const refusal = async (files: CertificateFiles, options: CheckOptions = {}) => {
  try {
    await checkCertificate(files, options);
  } catch (error) {
    const {message, hint, details, code} = error as {message: string; hint?: string; details?: {check?: string}; code: string};
    return {message, hint, check: details?.check, code};
  }
  throw new Error('the certificate was accepted');
};

describe('cert add checks: what is accepted', () => {
  it('accepts a leaf with its intermediate that verifies to the CA, and splits it the way the router needs', async () => {
    const checked = await checkCertificate(files('web-chain.pem', 'web.key', 'root.crt'), {hosts: ['web.example.com']});
    expect(checked.warnings).toEqual([]);
    expect(checked.dnsNames).toEqual(['web.example.com', 'www.example.com']);
    expect(new X509Certificate(checked.certificatePem).subject).toBe('CN=web');
    expect(checked.certificatePem.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(new X509Certificate(checked.intermediatesPem).subject).toBe('CN=gshift test intermediate');
    expect(checked.chainPem).toBe(checked.certificatePem + checked.intermediatesPem);
    expect(checked.keyPem).toBe(m.read('web.key'));
    expect(checked.keyDescription).toBe('EC P-256');
  });

  it('puts a shuffled chain in leaf → intermediate order, with a warning', async () => {
    const checked = await checkCertificate(files('shuffled.pem', 'web.key', 'root.crt'));
    expect(checked.warnings).toEqual([expect.stringMatching(/not in leaf → intermediate order.*CN=web → CN=gshift test intermediate/)]);
    expect(checked.chainPem).toBe(m.read('web.crt') + m.read('intermediate.crt'));
  });

  it('verifies a leaf alone when --ca holds the intermediate and the root, and does not store a root given in the chain', async () => {
    expect((await checkCertificate(files('web.crt', 'web.key', 'bundle.pem'))).intermediatesPem).toBe('');
    expect((await checkCertificate(files('with-root.pem', 'web.key', 'root.crt'))).chain.map((cert) => cert.subject)).toEqual(['CN=web', 'CN=gshift test intermediate']);
  });

  it('accepts RSA 2048 and Ed25519 keys', async () => {
    expect((await checkCertificate(files('rsa.crt', 'rsa.key', 'bundle.pem'))).keyDescription).toBe('RSA 2048');
    expect((await checkCertificate(files('ed.crt', 'ed.key', 'bundle.pem'))).keyDescription).toBe('Ed25519');
  });

  it('warns about a certificate that expires within 30 days, and not about one that does not', async () => {
    expect((await checkCertificate(files('soon.crt', 'soon.key'))).warnings).toEqual([expect.stringMatching(/^the certificate expires in 10 days \(\d{4}-\d\d-\d\d\)\.$/)]);
    expect((await checkCertificate(files('web.crt', 'web.key'))).warnings).toEqual([]);
  });

  it('decrypts an encrypted key with the passphrase, in memory, and stores it unencrypted as PKCS#8', async () => {
    const checked = await checkCertificate(files('web.crt', 'web-encrypted.key'), {passphrase: async () => 's3cret'});
    expect(checked.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(checked.keyPem).not.toMatch(/ENCRYPTED/);
    expect(checked.keyPem).toBe(m.read('web.key'));
  });

  it('stores a traditional (PKCS#1) RSA key as PKCS#8, so its label always says what it holds', async () => {
    m.openssl('pkey', '-in', 'rsa.key', '-traditional', '-out', 'rsa-pkcs1.key');
    expect(m.read('rsa-pkcs1.key')).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const checked = await checkCertificate(files('rsa.crt', 'rsa-pkcs1.key'));
    expect(checked.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(checked.keyPem).toBe(m.read('rsa.key'));
  });
});

describe('cert add checks: what is refused, and how it is explained', () => {
  it('says a DER certificate is DER and gives the openssl conversion', async () => {
    const refused = await refusal(files('web.der', 'web.key'));
    expect(refused).toMatchObject({check: 'der', code: 'USAGE'});
    expect(refused.message).toMatch(/web\.der is DER \(binary\), and gshift expects PEM/);
    expect(refused.hint).toBe(`convert it: openssl x509 -inform der -in ${m.path('web.der')} -out ${m.path('web')}.pem`);
  });

  it('says a DER key is DER and gives the openssl pkey conversion', async () => {
    const refused = await refusal(files('web.crt', 'web-key.der'));
    expect(refused.check).toBe('der');
    expect(refused.hint).toMatch(/^convert it: openssl pkey -inform der -in .*web-key\.der/);
  });

  it('names a missing file and a key given as the certificate', async () => {
    expect(await refusal(files('nothing.crt', 'web.key'))).toMatchObject({check: 'unreadable', message: expect.stringMatching(/--cert .*nothing\.crt cannot be read: it does not exist/)});
    expect(await refusal(files('web.key', 'web.key'))).toMatchObject({check: 'no-certificate', message: expect.stringMatching(/holds no certificate \(it has PRIVATE KEY\)/)});
    expect(await refusal(files('web.crt', 'web.crt'))).toMatchObject({check: 'no-key', message: expect.stringMatching(/holds no private key \(it has CERTIFICATE\)/)});
  });

  it('refuses a PKCS#1 key under a PKCS#8 label (what broke OpenShift routers) and says how to fix the label', async () => {
    m.openssl('pkey', '-in', 'rsa.key', '-traditional', '-out', 'rsa-traditional.key');
    writeFileSync(m.path('mislabelled.key'), m.read('rsa-traditional.key').replaceAll('RSA PRIVATE KEY', 'PRIVATE KEY'));
    const refused = await refusal(files('rsa.crt', 'mislabelled.key'));
    expect(refused.check).toBe('bad-key');
    expect(refused.hint).toMatch(/label does not match its contents, a PKCS#1 RSA key: change its first and last lines to "-----BEGIN RSA PRIVATE KEY-----"/);
  });

  it('refuses a key that belongs to another certificate', async () => {
    expect(await refusal(files('web-chain.pem', 'wildcard.key'))).toMatchObject({check: 'key-mismatch', message: expect.stringMatching(/The key does not match the certificate .* \(CN=web\)/)});
  });

  it('refuses a 1024-bit RSA key', async () => {
    expect(await refusal(files('weak.crt', 'weak.key'))).toMatchObject({check: 'weak-key', message: 'The key is too weak: RSA 1024 is below the 2048 bits RSA needs.'});
  });

  it('refuses a chain that does not verify to the given CA', async () => {
    const refused = await refusal(files('web-chain.pem', 'web.key', 'other-root.crt'));
    expect(refused.check).toBe('chain-unverified');
    expect(refused.message).toMatch(/does not verify to the CA: nothing in --ca .*other-root\.crt signed CN=gshift test intermediate \(issued by CN=gshift test root\)/);
  });

  it('refuses an expired and a not-yet-valid certificate', async () => {
    expect(await refusal(files('expired.crt', 'expired.key'))).toMatchObject({check: 'expired', message: expect.stringMatching(/^The certificate expired on \d{4}-\d\d-\d\d \(2 days ago\)\.$/)});
    expect(await refusal(files('future.crt', 'future.key'))).toMatchObject({check: 'not-yet-valid', message: expect.stringMatching(/^The certificate is not valid yet: it starts on /)});
  });

  it('refuses a SHA-1 signature', async () => {
    expect(await refusal(files('sha1.crt', 'sha1.key'))).toMatchObject({check: 'weak-signature', message: expect.stringMatching(/signed with ecdsa-with-SHA1: MD5 and SHA-1 signatures can be forged/)});
  });

  it('refuses a host the certificate does not cover, listing its SANs', async () => {
    const refused = await refusal(files('web.crt', 'web.key'), {hosts: ['shop.example.com']});
    expect(refused).toMatchObject({check: 'host-not-covered', message: 'The certificate does not cover shop.example.com: its SANs are DNS:web.example.com, DNS:www.example.com.'});
  });

  it('refuses an encrypted key without a passphrase (and no terminal), and with a wrong one', async () => {
    expect(await refusal(files('web.crt', 'web-encrypted.key'))).toMatchObject({check: 'passphrase-missing', hint: expect.stringMatching(/--key-passphrase-env VAR/)});
    expect(await refusal(files('web.crt', 'web-encrypted.key'), {passphrase: async () => 'wrong'})).toMatchObject({check: 'passphrase-wrong'});
  });
});

describe('host coverage (RFC 6125)', () => {
  const cert = (name: string) => new X509Certificate(m.read(`${name}.crt`));

  it('a wildcard covers exactly one left-most label, not the bare domain nor deeper names', () => {
    expect(coversHost(cert('wildcard'), 'shop.apps.example.com')).toBe(true);
    expect(coversHost(cert('wildcard'), 'SHOP.apps.example.com')).toBe(true);
    expect(coversHost(cert('wildcard'), 'apps.example.com')).toBe(false);
    expect(coversHost(cert('wildcard'), 'a.shop.apps.example.com')).toBe(false);
  });

  it('ignores the CN when there are DNS SANs, and uses it when there are none', () => {
    expect(coversHost(cert('cn-and-san'), 'other.example.com')).toBe(false);
    expect(coversHost(cert('cn-and-san'), 'web.example.com')).toBe(true);
    expect(coversHost(cert('cn-only'), 'legacy.example.com')).toBe(true);
  });
});

describe('signature algorithms', () => {
  it('reads the signature OID from the DER where Node has no field for it (Node 22)', async () => {
    const {signatureOid} = await import('../../../src/cert/signature.ts');
    for (const name of ['web', 'rsa', 'sha1']) {
      const cert = new X509Certificate(m.read(`${name}.crt`));
      expect(signatureOid({raw: cert.raw} as X509Certificate)).toBe(cert.signatureAlgorithmOid);
    }
  });
});
