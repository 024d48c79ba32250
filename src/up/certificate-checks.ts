import type {X509Certificate} from 'node:crypto';

import {checkHostName, requireHosts} from '../cert/hosts.js';
import type {EnvironmentInFile} from './environments.js';
import {besideFile} from './file.js';
import {type Path, type SchemaProblem, messageOf} from './schema-check.js';
import type {CertificateEntry, TenantFile} from './tenant-file.js';

/**
 * What `cert add` and `cert issue` would refuse about the file's certificates, per environment
 * the certificate goes to: an app that does not run there or has another certificate there, no
 * host (neither the certificate nor its app has one) or two different ones, and for files, every
 * check of `cert add` (readable PEM, the key matches, strong, valid, a chain that verifies)
 * including that the certificate covers the host. A problem every environment has is reported once.
 */
export async function checkCertificates(file: TenantFile, environments: readonly EnvironmentInFile[], options: {path: string; accepted: (path: Path) => boolean}): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  for (const [index, certificate] of (file.spec.certificates ?? []).entries()) {
    const at: Path = ['spec', 'certificates', index];
    if (!options.accepted(at)) continue;
    const found = new Map<string, {path: Path; envs: string[]}>();
    const note = (path: Path, message: string, env: string) => {
      const entry = found.get(message) ?? {path, envs: []};
      entry.envs.push(env);
      found.set(message, entry);
    };
    const hosts = new Map<string, string[]>();
    const applies = environments.filter((environment) => !certificate.environments || certificate.environments.includes(environment.name));
    for (const environment of applies) {
      const app = environment.apps.find((candidate) => candidate.name === certificate.app);
      if (!app) {
        const listed = certificate.environments?.indexOf(environment.name) ?? -1;
        if (listed >= 0) problems.push({path: [...at, 'environments', listed], message: `the app "${certificate.app}" does not run in ${environment.name} (see its environments)`});
        continue;
      }
      if (app.certificate !== certificate.name) {
        note([...at, 'app'], `app "${app.name}" has certificate "${app.certificate}" already: an app has one certificate in an environment (give them environments)`, environment.name);
        continue;
      }
      const host = app.fields.host;
      if (host === undefined) note(at, `needs a host: app "${app.name}" has none; give the app or the certificate one`, environment.name);
      else if (certificate.host !== undefined && host !== certificate.host) note([...at, 'host'], `app "${app.name}" is served at ${host}, not ${certificate.host}`, environment.name);
      else hosts.set(host, [...(hosts.get(host) ?? []), environment.name]);
    }
    const where = (envs: readonly string[], of: number) => (envs.length === of ? '' : `in ${envs.join(', ')}: `);
    for (const [message, entry] of found) problems.push({path: entry.path, message: `${where(entry.envs, applies.length)}${message}`});
    if (certificate.host !== undefined) problems.push(...checked([...at, 'host'], () => checkHostName(certificate.host!, 'host')));
    if (certificate.files && options.accepted([...at, 'files'])) problems.push(...(await checkFiles(certificate, [...at, 'files'], hosts, options.path)));
  }
  return problems;
}

function checked(path: Path, check: () => unknown): SchemaProblem[] {
  try {
    check();
    return [];
  } catch (error) {
    return [{path, message: messageOf(error)}];
  }
}

/** cert add's checks of the files (read beside gshift.yaml), then that the certificate covers each environment's host. */
async function checkFiles(certificate: CertificateEntry, at: Path, hosts: ReadonlyMap<string, string[]>, file: string): Promise<SchemaProblem[]> {
  const {checkCertificate} = await import('../cert/check.js');
  const files = certificate.files!;
  let leaf: X509Certificate;
  try {
    leaf = (await checkCertificate(certificateFiles(file, files))).leaf;
  } catch (error) {
    return [{path: at, message: messageOf(error)}];
  }
  const every = [...hosts.values()].flat().length;
  return [...hosts].flatMap(([host, envs]) => checked(at, () => requireHosts(leaf, [host])).map((problem) => ({...problem, message: `${envs.length === every ? '' : `in ${envs.join(', ')}: `}${problem.message}`})));
}

/** Where a certificate's files are, for the step that stores them. */
export function certificateFiles(file: string, files: NonNullable<CertificateEntry['files']>): {cert: string; key: string; ca?: string} {
  return {cert: besideFile(file, files.cert), key: besideFile(file, files.key), ...(files.ca ? {ca: besideFile(file, files.ca)} : {})};
}
