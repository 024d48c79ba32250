// Test-only TLS material for the loopback API server of the cluster unit tests, made fresh in a
// temporary directory by each test process, so no private key is ever committed.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

let directory: string | undefined;

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A CA "gshift-test-ca", a server certificate for 127.0.0.1 and localhost, and a client
 * certificate CN=alice, O=developers, all signed by the CA. The CA key is deleted once used.
 */
export function tlsDirectory(): string {
  if (directory) return directory;
  const dir = mkdtempSync(join(tmpdir(), 'gshift-test-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'});
  openssl('req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=gshift-test-ca');
  const issue = (name: string, subject: string, extensions: string) => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl('req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', '/O=developers/CN=alice', 'extendedKeyUsage=clientAuth\n');
  rmSync(join(dir, 'ca.key'));
  process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
  directory = dir;
  return dir;
}
