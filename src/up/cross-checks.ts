import {type DatabaseReference, type TenantFile, referencedDatabase} from './tenant-file.js';
import type {SchemaProblem} from './schema-check.js';

export const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** What a JSON Schema cannot say: names unique, references declared, stacks known. */
export function crossChecks(file: TenantFile, knownStacks: readonly string[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const spec = isObject(file.spec) ? file.spec : ({} as TenantFile['spec']);
  const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
  const names = (entries: {name?: unknown}[], field: string) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      if (typeof entry?.name !== 'string') return;
      if (seen.has(entry.name)) problems.push({path: ['spec', field, index, 'name'], message: `"${entry.name}" is declared twice (also at ${field}[${seen.get(entry.name)}])`});
      else seen.set(entry.name, index);
    });
    return new Set(seen.keys());
  };
  const environments = names(list(spec.environments), 'environments');
  const apps = names(list(spec.apps), 'apps');
  const databases = names(list(spec.databases), 'databases');
  const checkReferences = (references: DatabaseReference[] | undefined, at: SchemaProblem['path']) =>
    list(references).forEach((reference, index) => {
      const db = referencedDatabase(reference);
      if (db !== undefined && !databases.has(db)) problems.push({path: [...at, index], message: `the database "${db}" is not declared under spec.databases`});
    });
  const checkBounds = (autoscaling: {min?: unknown; max?: unknown} | undefined, at: SchemaProblem['path']) => {
    if (isObject(autoscaling) && typeof autoscaling.min === 'number' && typeof autoscaling.max === 'number' && autoscaling.min > autoscaling.max) {
      problems.push({path: [...at, 'min'], message: `min ${autoscaling.min} is above max ${autoscaling.max}`});
    }
  };
  const checkEnvironments = (envs: string[] | undefined, at: SchemaProblem['path']) =>
    list(envs).forEach((env, index) => {
      if (!environments.has(env)) problems.push({path: [...at, index], message: `the tenant has no environment "${env}" (environments: ${[...environments].join(', ')})`});
    });
  names(list(spec.certificates), 'certificates');
  list(spec.apps).forEach((app, index) => {
    if (typeof app?.stack === 'string' && !knownStacks.includes(app.stack)) problems.push({path: ['spec', 'apps', index, 'stack'], message: `there is no stack "${app.stack}" (stacks: ${knownStacks.join(', ')})`});
    checkEnvironments(app?.environments, ['spec', 'apps', index, 'environments']);
    checkReferences(app?.databases, ['spec', 'apps', index, 'databases']);
    checkBounds(app?.autoscaling, ['spec', 'apps', index, 'autoscaling']);
  });
  list(spec.databases).forEach((database, index) => {
    checkEnvironments(database?.environments, ['spec', 'databases', index, 'environments']);
  });
  list(spec.environments).forEach((env, index) => {
    for (const [name, override] of Object.entries(isObject(env?.apps) ? env.apps : {})) {
      if (!apps.has(name)) problems.push({path: ['spec', 'environments', index, 'apps', name], message: `overrides the app "${name}", which spec.apps does not declare`, atKey: true});
      else checkReferences(override?.databases, ['spec', 'environments', index, 'apps', name, 'databases']);
      checkBounds(override?.autoscaling, ['spec', 'environments', index, 'apps', name, 'autoscaling']);
    }
    for (const name of Object.keys(isObject(env?.databases) ? env.databases : {})) {
      if (!databases.has(name)) problems.push({path: ['spec', 'environments', index, 'databases', name], message: `overrides the database "${name}", which spec.databases does not declare`, atKey: true});
    }
  });
  list(spec.certificates).forEach((certificate, index) => {
    if (typeof certificate?.app === 'string' && !apps.has(certificate.app)) problems.push({path: ['spec', 'certificates', index, 'app'], message: `the app "${certificate.app}" is not declared under spec.apps`});
    const sources = [certificate?.files, certificate?.issuer, certificate?.clusterIssuer].filter((source) => source !== undefined).length;
    if (sources !== 1) problems.push({path: ['spec', 'certificates', index], message: 'needs exactly one of files, issuer or clusterIssuer'});
    checkEnvironments(certificate?.environments, ['spec', 'certificates', index, 'environments']);
    // A certificate is a Secret of its name, as a database's credentials are.
    if (typeof certificate?.name === 'string' && databases.has(certificate.name)) problems.push({path: ['spec', 'certificates', index, 'name'], message: `"${certificate.name}" is also a database's name, and both would be the Secret ${certificate.name}: name the certificate like ${certificate.name}-tls`});
  });
  return problems;
}
