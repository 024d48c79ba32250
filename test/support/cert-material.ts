// Certificates for the cert tests, made with openssl at test time in a temporary directory (no
// key is ever committed): a root CA, an intermediate, leaves signed by it, and the bad cases.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const CA_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

/** openssl's -startdate/-enddate form. */
const stamp = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000);

export interface Material {
  dir: string;
  path: (name: string) => string;
  read: (name: string) => string;
  openssl: (...args: string[]) => Buffer;
  /** A leaf NAME.crt/NAME.key signed by the intermediate, valid from `from` to `to` days from now. */
  leaf: (name: string, options: {sans?: string; subject?: string; from?: number; to?: number; key?: string[]; digest?: string; issuer?: 'intermediate' | 'root'}) => void;
}

export function makeMaterial(prefix = 'gshift-cert-test-'): Material {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'});
  writeFileSync(path('ca.ext'), CA_EXT);
  openssl('req', '-x509', ...EC, '-keyout', 'root.key', '-out', 'root.crt', '-days', '3650', '-subj', '/CN=gshift test root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...EC, '-keyout', 'intermediate.key', '-out', 'intermediate.csr', '-subj', '/CN=gshift test intermediate');
  openssl('x509', '-req', '-in', 'intermediate.csr', '-CA', 'root.crt', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'intermediate.crt', '-days', '3000', '-extfile', 'ca.ext');
  // `openssl ca` is the tool in OpenSSL 3.0 that signs with explicit (past or future) dates.
  writeFileSync(path('index.txt'), '');
  writeFileSync(path('serial'), '1000\n');
  writeFileSync(path('ca.cnf'), '[ca]\ndefault_ca=test\n[test]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=any\ncopy_extensions=copy\nunique_subject=no\n[any]\ncommonName=supplied\n');
  const leaf: Material['leaf'] = (name, options) => {
    const args = ['req', ...(options.key ?? EC), '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', options.subject ?? `/CN=${name}`];
    if (options.sans) args.push('-addext', `subjectAltName=${options.sans}`);
    openssl(...args);
    const issuer = options.issuer ?? 'intermediate';
    openssl('ca', '-batch', '-config', 'ca.cnf', '-notext', '-cert', `${issuer}.crt`, '-keyfile', `${issuer}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`, '-md', options.digest ?? 'sha256', '-startdate', stamp(daysFromNow(options.from ?? -1)), '-enddate', stamp(daysFromNow(options.to ?? 90)));
  };
  process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
  return {dir, path, read: (name) => readFileSync(path(name), 'utf8'), openssl, leaf};
}
