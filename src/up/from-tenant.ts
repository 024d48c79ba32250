import {type IssuerRef, issuanceOf} from '../cert/issuance.js';
import type {Cluster, KubeObject} from '../cluster/index.js';
import type {GshiftConfig} from '../config/schema.js';
import {SETTINGS_ANNOTATION} from '../core/labels.js';
import {notFoundError} from '../errors.js';
import {QUOTA_KEYS, type Quota} from '../tenant/quota.js';
import {byPromotionOrder, findTenantNamespaces} from '../tenant/namespaces.js';
import {type EnvironmentSettings, readSettings} from '../tenant/settings.js';
import {MAP_FIELDS, bindingPrefix} from './environments.js';
import type {AppEntry, AppFields, CertificateEntry, DatabaseEntry, DatabaseFields, DatabaseReference, EnvironmentEntry, TenantFile} from './tenant-file.js';

/**
 * `gshift init --from-tenant T`: the file that describes what tenant T runs, from the records
 * gshift keeps (each namespace's settings, each app's and database's stored inputs). Applied
 * with `gshift up`, it changes nothing. What is the same in every environment is written once;
 * what differs, as the environments' overrides. Reads only.
 */
export interface FromTenantResult {
  file: TenantFile;
  /** What the file cannot say exactly (and so is written as the first environment has it). */
  notes: string[];
}

type PerEnvironment<T> = Map<string, T>;

export async function fileFromTenant(cluster: Cluster, tenant: string, config: Pick<GshiftConfig, 'environments'>): Promise<FromTenantResult> {
  const [{listRecords}, {listDbRecords}, {readStoredInputs}, {listIssuances}] = await Promise.all([import('../app/inventory.js'), import('../db/inventory.js'), import('../app/stored-inputs.js'), import('../cert/issuance.js')]);
  const namespaces = (await findTenantNamespaces(cluster, tenant)).sort(byPromotionOrder(config.environments));
  if (namespaces.length === 0) throw notFoundError(`There is no tenant "${tenant}".`, 'gshift tenant list shows the tenants.', {tenant});
  const notes: string[] = [];
  const envs = namespaces.map((entry) => entry.env);
  const settings = new Map(namespaces.map((entry) => [entry.env, readSettings(entry.object.metadata.annotations?.[SETTINGS_ANNOTATION])] as const));
  const read = await Promise.all(
    namespaces.map(async (entry) => {
      const [apps, databases, issuances] = await Promise.all([listRecords(cluster, entry.namespace), listDbRecords(cluster, entry.namespace), listIssuances(cluster, entry.namespace)]);
      return {env: entry.env, apps, databases, issuances};
    }),
  );

  const apps = new Map<string, PerEnvironment<NonNullable<ReturnType<typeof readStoredInputs>>>>();
  const databases = new Map<string, PerEnvironment<NonNullable<(typeof read)[number]['databases'][number]['inputs']>>>();
  for (const {env, apps: records, databases: dbRecords} of read) {
    for (const record of records) {
      const stored = readStoredInputs(record);
      if (!stored) {
        notes.push(`app ${record.app} in ${env} has no inputs gshift can read: left out`);
        continue;
      }
      if (!apps.has(record.app)) apps.set(record.app, new Map());
      apps.get(record.app)!.set(env, stored);
    }
    for (const record of dbRecords) {
      if (!record.inputs) continue;
      if (!databases.has(record.name)) databases.set(record.name, new Map());
      databases.get(record.name)!.set(env, record.inputs);
    }
  }

  const overrides = new Map<string, EnvironmentEntry>(envs.map((env) => [env, {name: env}]));
  const override = (env: string, kind: 'apps' | 'databases', name: string, fields: object) => {
    if (Object.keys(fields).length === 0) return;
    const entry = overrides.get(env)!;
    entry[kind] = {...entry[kind], [name]: fields as never};
  };

  const appEntries: AppEntry[] = [];
  for (const [name, byEnv] of apps) {
    const [first] = byEnv.values();
    const stacks = new Set([...byEnv.values()].map((stored) => stored.stack));
    const pinned = [...byEnv].filter(([, stored]) => stored.autoscale === false).map(([env]) => env);
    if (pinned.length > 0) notes.push(`app ${name} runs a count pinned with gshift scale --manual in ${pinned.join(', ')}, which the file has no word for: gshift up keeps it`);
    if (stacks.size > 1) notes.push(`app ${name} runs different stacks (${[...stacks].join(', ')}): the file says ${first!.stack}, as in ${[...byEnv.keys()][0]}`);
    const fields = foldFields(byEnv, (stored): AppFields => ({
      ...(stored.image !== undefined ? {image: stored.image} : {}),
      ...(stored.replicas !== undefined ? {replicas: stored.replicas} : {}),
      // gshift scale --manual (false) has no word in the file: left out, up keeps it.
      ...(stored.autoscale ? {autoscaling: stored.autoscale} : {}),
      ...(stored.port !== undefined ? {port: stored.port} : {}),
      ...(stored.storage !== undefined ? {storage: stored.storage} : {}),
      ...(stored.host !== undefined ? {host: stored.host} : {}),
      ...(stored.envVars ? {env: stored.envVars} : {}),
      ...(stored.params ? {params: stored.params} : {}),
      ...(stored.secretRefs ? {secretEnv: stored.secretRefs} : {}),
    }));
    // The attached databases are one list: the app's when every environment has the same, else each environment's own.
    const references = [...byEnv.entries()].map(([env, stored]) => [env, databaseReferences(stored.databases)] as const);
    const shared = references.every(([, list]) => JSON.stringify(list) === JSON.stringify(references[0]![1]));
    for (const [env, fieldsThere] of fields.overrides) override(env, 'apps', name, fieldsThere);
    if (!shared) for (const [env, list] of references) override(env, 'apps', name, {...overrides.get(env)!.apps?.[name], databases: list});
    const base = shared && references[0]![1].length > 0 ? {databases: references[0]![1]} : {};
    appEntries.push({name, stack: first!.stack, ...(byEnv.size < envs.length ? {environments: [...byEnv.keys()]} : {}), ...base, ...fields.base});
  }

  const databaseEntries: DatabaseEntry[] = [];
  for (const [name, byEnv] of databases) {
    const [first] = byEnv.values();
    const fields = foldFields(byEnv, (inputs): DatabaseFields => ({
      version: inputs.version,
      ...(inputs.size !== undefined ? {size: inputs.size} : {}),
      ...(inputs.storageClass !== undefined ? {storageClass: inputs.storageClass} : {}),
      ...(inputs.ha ? {ha: true} : {}),
      ...(inputs.backup ? {backup: {schedule: inputs.backup.schedule, keep: inputs.backup.keep}} : {}),
    }));
    for (const [env, fieldsThere] of fields.overrides) override(env, 'databases', name, fieldsThere);
    databaseEntries.push({name, engine: first!.engine, ...(byEnv.size < envs.length ? {environments: [...byEnv.keys()]} : {}), ...fields.base});
  }

  const certificateEntries = certificatesOf(read, apps, notes);

  const tenantSettings = tenantFields(envs, settings, notes);
  for (const [env, quota] of tenantSettings.environmentQuota) overrides.get(env)!.quota = quota;
  return {
    file: {
      apiVersion: 'gshift.io/v1alpha1',
      kind: 'Tenant',
      metadata: {name: tenant},
      spec: {
        ...tenantSettings.spec,
        environments: envs.map((env) => overrides.get(env)!),
        ...(appEntries.length > 0 ? {apps: appEntries} : {}),
        ...(databaseEntries.length > 0 ? {databases: databaseEntries} : {}),
        ...(certificateEntries.length > 0 ? {certificates: certificateEntries} : {}),
      },
    },
    notes,
  };
}

type Stored = NonNullable<ReturnType<typeof import('../app/stored-inputs.js').readStoredInputs>>;

/**
 * The certificates the apps carry: one issued by cert-manager is written with its issuer (and
 * its host only where it is not its app's); one added from files is noted and left out, since
 * its files cannot be read back (the file leaves its app's certificate as it is then).
 */
function certificatesOf(read: readonly {env: string; issuances: KubeObject[]}[], apps: ReadonlyMap<string, PerEnvironment<Stored>>, notes: string[]): CertificateEntry[] {
  type Found = {env: string; app: string; issuer?: IssuerRef; host?: string; appHost?: string};
  const byName = new Map<string, Found[]>();
  for (const [app, byEnv] of apps) {
    for (const [env, stored] of byEnv) {
      const name = stored.certificate?.secret;
      if (!name) continue;
      const issuance = read.find((entry) => entry.env === env)!.issuances.find((object) => object.metadata.name === name);
      const found: Found = {env, app, ...(issuance ? issuanceOf(issuance) : {}), ...(stored.host ? {appHost: stored.host} : {})};
      byName.set(name, [...(byName.get(name) ?? []), found]);
    }
  }
  const entries: CertificateEntry[] = [];
  for (const [name, found] of byName) {
    const [first] = found;
    const where = found.map((entry) => entry.env).join(', ');
    if (!first!.issuer) {
      notes.push(`certificate ${name} of app ${first!.app} (${where}) was added from files, which gshift cannot read back: left out, so gshift up leaves it on the app (and up --prune would remove it); add it under certificates with files: to keep it here`);
      continue;
    }
    const same = (entry: Found) => entry.app === first!.app && entry.issuer?.kind === first!.issuer!.kind && entry.issuer?.name === first!.issuer!.name;
    if (!found.every(same)) notes.push(`certificate ${name} goes to different apps or issuers in ${where}: the file says those of ${first!.env}`);
    const hosts = new Set(found.filter((entry) => entry.host !== entry.appHost).map((entry) => entry.host));
    const runs = [...(apps.get(first!.app)?.keys() ?? [])];
    entries.push({
      name,
      app: first!.app,
      ...(hosts.size > 0 && first!.host ? {host: first!.host} : {}),
      ...(found.length < runs.length ? {environments: found.map((entry) => entry.env)} : {}),
      ...(first!.issuer!.kind === 'Issuer' ? {issuer: first!.issuer!.name} : {clusterIssuer: first!.issuer!.name}),
    });
  }
  return entries;
}

/** `prefix → engine/name` as the file's references: a name when its prefix is the one the file would give it. */
function databaseReferences(databases: Record<string, string> | undefined): DatabaseReference[] {
  const bindings = Object.entries(databases ?? {}).map(([prefix, value]) => ({prefix, name: value.split('/')[1] ?? ''})).filter((binding) => binding.name !== '');
  return bindings.map((binding) => (binding.prefix === bindingPrefix(binding.name, bindings.length) ? binding.name : {name: binding.name, prefix: binding.prefix}));
}

/**
 * The fields every environment shares, once; the rest per environment. A value is shared when
 * every environment has it, equal; a map shares the entries every environment has, equal.
 */
export function foldFields<F extends object, V = unknown>(byEnv: ReadonlyMap<string, V>, fieldsOf: (value: V) => F): {base: F; overrides: Map<string, Partial<F>>} {
  const all = [...byEnv.entries()].map(([env, value]) => [env, fieldsOf(value) as Record<string, unknown>] as const);
  const names = new Set(all.flatMap(([, fields]) => Object.keys(fields)));
  const base: Record<string, unknown> = {};
  const overrides = new Map<string, Record<string, unknown>>(all.map(([env]) => [env, {}]));
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const field of names) {
    const values = all.map(([env, fields]) => [env, fields[field]] as const);
    // Maps are merged key by key by an override; any other value (an autoscaler, a backup schedule) is replaced whole.
    const isMap = MAP_FIELDS.has(field) && values.some(([, value]) => value !== null && typeof value === 'object');
    if (!isMap) {
      if (values.every(([, value]) => value !== undefined && same(value, values[0]![1]))) base[field] = values[0]![1];
      else for (const [env, value] of values) if (value !== undefined) overrides.get(env)![field] = value;
      continue;
    }
    const maps = values.map(([env, value]) => [env, (value ?? {}) as Record<string, unknown>] as const);
    const shared = Object.fromEntries(Object.entries(maps[0]![1]).filter(([key, value]) => maps.every(([, map]) => key in map && same(map[key], value))));
    if (Object.keys(shared).length > 0) base[field] = shared;
    for (const [env, map] of maps) {
      const own = Object.fromEntries(Object.entries(map).filter(([key]) => !(key in shared)));
      if (Object.keys(own).length > 0) overrides.get(env)![field] = own;
    }
  }
  return {base: base as F, overrides: overrides as Map<string, Partial<F>>};
}

/** The tenant's groups, CI account and quota, from each namespace's recorded settings. */
function tenantFields(envs: readonly string[], settings: ReadonlyMap<string, EnvironmentSettings | undefined>, notes: string[]): {spec: Omit<TenantFile['spec'], 'environments'>; environmentQuota: Map<string, string>} {
  const known = envs.map((env) => [env, settings.get(env)] as const).filter((entry): entry is readonly [string, EnvironmentSettings] => entry[1] !== undefined);
  const [firstEnv, first] = known[0] ?? [];
  if (!first) return {spec: {}, environmentQuota: new Map()};
  if (known.some(([, other]) => JSON.stringify(other.members) !== JSON.stringify(first.members) || other.ciAccount !== first.ciAccount)) {
    notes.push(`the environments have different groups or CI accounts: the file gives every environment those of ${firstEnv}`);
  }
  const groups = Object.fromEntries((['admins', 'developers', 'viewers'] as const).filter((role) => first.members[role].length > 0).map((role) => [role, first.members[role]]));
  const quotaText = (quota: Partial<Quota>) => QUOTA_KEYS.filter((key) => quota[key] !== undefined).map((key) => `${key}=${quota[key]}`).join(',');
  const quotas = known.map(([env, entry]) => [env, quotaText(entry.quota)] as const);
  const shared = quotas.every(([, quota]) => quota === quotas[0]![1]) ? quotas[0]![1] : undefined;
  return {
    spec: {...(shared ? {quota: shared} : {}), ...(Object.keys(groups).length > 0 ? {groups} : {}), ...(first.ciAccount ? {ciAccount: true} : {})},
    environmentQuota: new Map(shared === undefined ? quotas.filter(([, quota]) => quota !== '') : []),
  };
}
