import type {Cluster, KubeObject} from '../cluster/index.js';
import type {ApplyTracker, ConvergeResult} from '../converge/engine.js';
import type {Session} from '../core/session.js';
import {compareQuantities, parseQuantity} from '../core/quantity.js';
import {ENV_LABEL, STACK_LABEL, TENANT_LABEL} from '../core/labels.js';
import {GshiftError, usageError} from '../errors.js';
import {type Credentials, credentialsFromSecret, newCredentials} from './credentials.js';
import {type CheckedDbFlags, type DbCreateFlags, checkDbFlags, mergeDbInputs} from './inputs.js';
import {type Attachment, dbSet, readDbRecord} from './inventory.js';
import {DB_LABEL, claimName, renderDatabase, type DbRenderInput} from './render.js';

export interface DbCreateRequest {
  flags: DbCreateFlags;
  serverDryRun?: boolean;
  forceConflicts?: boolean;
  tooling: string;
  /** `credentials --rotate`: the new password for the Secret (the server has it already). */
  password?: string;
  /** The apps attached to it, when the caller knows them all (gshift up); default: as recorded (db attach keeps the list). */
  attached?: Attachment[];
  /** With serverDryRun: the namespace does not exist yet (see ConvergeRequest.namespacePending). */
  namespacePending?: boolean;
  /** The namespace was made by the same run (gshift up) and holds nothing: nothing to read first, nothing to protect with a rehearsal. */
  emptyNamespace?: boolean;
}

export interface DbCreateResult extends Omit<ConvergeResult, 'skipped'> {
  database: string;
  namespace: string;
  engine: string;
  version: string;
  /** True when the database did not exist before. */
  created: boolean;
  /** The StatefulSet to follow. */
  statefulSet: string;
  /** The Secret with the credentials (never its values). */
  secret: string;
  /** A CloudNativePG Cluster (named like the database) rather than a StatefulSet. */
  ha?: boolean;
  dryRun?: 'server';
}

/** `db create --dry-run` (client): the manifests without a cluster, with fresh credentials (masked unless reveal). */
export async function renderDbManifests(flags: DbCreateFlags, options: {cwd?: string; reveal?: boolean} = {}) {
  const [{loadConfig}, {resolveTarget}, {printableManifests}] = await Promise.all([import('../config/load.js'), import('../core/target.js'), import('../core/secret-masking.js')]);
  const {values} = await loadConfig(options.cwd);
  const checked = checkDbFlags(flags, values);
  const target = resolveTarget({flags, config: values});
  const input = renderInput(checked, {namespace: target.namespace, platform: flags.platform ?? (values.platform === 'auto' ? 'openshift' : values.platform), config: values}, newCredentials(checked.engine, checked.name));
  const {objects, masked} = printableManifests(await renderDatabase(input), options.reveal ?? false);
  return {objects, masked, platform: input.platform, namespace: target.namespace};
}

type RenderConfig = Pick<Session['config']['values'], 'registry' | 'haEnvironments' | 'templateDirs'>;

function renderInput(checked: CheckedDbFlags, where: {namespace: string; platform: 'openshift' | 'kubernetes'; config: RenderConfig}, credentials: Credentials): DbRenderInput {
  return {
    name: checked.name,
    namespace: where.namespace,
    engine: checked.engine,
    version: checked.version,
    env: checked.env,
    platform: where.platform,
    haEnvironments: where.config.haEnvironments,
    templateDirs: where.config.templateDirs,
    credentials,
    ...(checked.tenant ? {tenant: checked.tenant} : {}),
    ...(checked.size ? {size: checked.size} : {}),
    ...(checked.storageClass ? {storageClass: checked.storageClass} : {}),
    ...(checked.backup ? {backup: checked.backup} : {}),
    ...(checked.ha ? {ha: true} : {}),
    ...(where.config.registry ? {registry: where.config.registry} : {}),
  };
}

/**
 * `db create`: input checked before the first request, the namespace and the name's owner before
 * the first write, the credentials kept when the database exists, the volume never shrunk, and
 * the whole set rehearsed on the server before it is applied.
 */
export async function createDatabase(session: Session, request: DbCreateRequest, tracker?: ApplyTracker): Promise<DbCreateResult> {
  const {cluster, target, config} = session;
  const namespace = target.namespace;
  const env = request.flags.env ?? target.env;
  const tenant = request.flags.tenant ?? target.tenant;
  const raw = {...request.flags, ...(env ? {env} : {}), ...(tenant ? {tenant} : {})};
  const first = checkDbFlags(raw, config.values);
  // The schedule as checked (normalised) is what the database records.
  const flags = {...raw, ...(first.backup ? {backup: first.backup} : {})};
  const [{requireNamespace}, {readRecord}, {converge}, {missingNamespaceHint}, {parseGroupKinds, APPLYSET_GROUP_KINDS_ANNOTATION}] = await Promise.all([
    import('../app/apply.js'),
    import('../app/inventory.js'),
    import('../converge/engine.js'),
    import('../app/create.js'),
    import('../converge/applyset.js'),
  ]);
  if (!(request.serverDryRun && request.namespacePending)) await requireNamespace(cluster, namespace, missingNamespaceHint(session), session.namespaceState);
  // Everything a re-create looks at, read at once (nothing, in a namespace made just now).
  const found = request.emptyNamespace ? undefined : await readExisting(cluster, namespace, flags.name, readRecord);
  if (found?.app) {
    throw new GshiftError('CONFLICT', `The name ${flags.name} is already used by an app in ${namespace}.`, {
      hint: `pick another name for the database, e.g. ${flags.name}-db.`,
      details: {database: flags.name, namespace, app: flags.name},
    });
  }
  const record = found?.record;
  const previous = record?.inputs;
  if (previous && previous.engine !== flags.engine) {
    throw new GshiftError('CONFLICT', `Database ${flags.name} in ${namespace} runs ${previous.engine}, not ${flags.engine}.`, {
      hint: `keep --engine ${previous.engine}, or pick another name.`,
      details: {database: flags.name, namespace, engine: previous.engine},
    });
  }
  const inputs = mergeDbInputs(flags, previous);
  const checked = checkDbFlags({...flags, version: inputs.version, ...(inputs.size ? {size: inputs.size} : {}), ...(inputs.storageClass ? {storageClass: inputs.storageClass} : {}), ...(inputs.backup ? {backup: inputs.backup} : {}), ...(inputs.ha ? {ha: true} : {})}, config.values);
  if (checked.ha) {
    const {requireCnpg} = await import('./ha.js');
    await requireCnpg(cluster, checked.engine.name);
  }
  const volume = checked.ha ? await checkHaVolume(cluster, namespace, checked) : found ? checkVolume(found, checked) : {};
  const kept = (found ? await keptCredentials(checked.ha ? await readOwnerSecret(cluster, namespace, checked) : found.secret, checked) : undefined) ?? newCredentials(checked.engine, checked.name);
  const credentials = request.password ? {...kept, password: request.password} : kept;
  const platform = flags.platform ?? (config.values.platform !== 'auto' ? config.values.platform : (await cluster.discovery()).platform());
  const objects = await renderDatabase(renderInput(checked, {namespace, platform, config: config.values}, credentials));
  if (volume.templateSize) keepClaimTemplate(objects, volume.templateSize);

  const labels = {[STACK_LABEL]: checked.engine.stack, [ENV_LABEL]: checked.env, ...(checked.tenant ? {[TENANT_LABEL]: checked.tenant} : {})};
  const set = dbSet({name: checked.name, namespace, tooling: request.tooling, labels, inputs, attached: request.attached ?? record?.attached ?? []});
  const recorded = record ? {parent: record.parent, groupKinds: parseGroupKinds(record.parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION])} : null;
  const {skipped: _skipped, ...result} = await converge(cluster, {set, objects, recorded, dryRun: request.serverDryRun, namespacePending: request.namespacePending, emptyNamespace: request.emptyNamespace, force: request.forceConflicts}, tracker);
  let changed = result.changed;
  if (!request.serverDryRun && volume.grow) {
    await cluster.patch({apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claimName(checked.name), namespace}, {spec: {resources: {requests: {storage: volume.grow}}}}, {type: 'merge'});
    changed = true;
  }
  const {withoutSecretValues} = await import('../app/apply.js');
  return {
    ...result,
    changed,
    outcomes: result.outcomes.map(withoutSecretValues),
    database: checked.name,
    namespace,
    engine: checked.engine.name,
    version: checked.version,
    created: record === undefined,
    statefulSet: checked.name,
    secret: checked.ha ? `${checked.name}-app` : checked.name,
    ...(checked.ha ? {ha: true} : {}),
    ...(request.serverDryRun ? {dryRun: 'server' as const} : {}),
  };
}

type Claim = KubeObject & {spec?: {resources?: {requests?: {storage?: string}}; storageClassName?: string}};
type StatefulSetWithClaims = KubeObject & {spec?: {volumeClaimTemplates?: Array<{spec?: {resources?: {requests?: {storage?: string}}; storageClassName?: string}}>}};

/** What is there under the database's names: an app of that name, its record, claim, StatefulSet and credentials. */
async function readExisting(cluster: Cluster, namespace: string, name: string, readAppRecord: (cluster: Cluster, namespace: string, name: string) => Promise<unknown>) {
  const [app, record, claim, statefulSet, secret] = await Promise.all([
    readAppRecord(cluster, namespace, name),
    readDbRecord(cluster, namespace, name),
    cluster.get<Claim>({apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claimName(name), namespace}),
    cluster.get<StatefulSetWithClaims>({apiVersion: 'apps/v1', kind: 'StatefulSet', name, namespace}),
    cluster.get({apiVersion: 'v1', kind: 'Secret', name, namespace}),
  ]);
  return {app, record, claim, statefulSet, secret};
}

/** The credentials in the database's own Secret, when it has a complete set (a re-create, or a create after delete). */
/** A CloudNativePG cluster's credentials live in its owner Secret (basic-auth), not under the database's own name. */
async function readOwnerSecret(cluster: Pick<Cluster, 'get'>, namespace: string, checked: CheckedDbFlags): Promise<KubeObject | undefined> {
  const {ownerSecretName} = await import('./ha.js');
  return cluster.get({apiVersion: 'v1', kind: 'Secret', name: ownerSecretName(checked.name), namespace});
}

async function keptCredentials(existing: KubeObject | undefined, checked: CheckedDbFlags): Promise<Credentials | undefined> {
  const [{secretValues}, {sqlIdentifier}] = await Promise.all([import('../app/secret-values.js'), import('./credentials.js')]);
  if (!existing || existing.metadata.labels?.[DB_LABEL] !== checked.name) return undefined;
  const values = secretValues(existing);
  // The owner Secret of a CloudNativePG cluster is basic-auth: the database is named as at creation.
  return credentialsFromSecret(checked.engine, checked.ha ? {...values, dbname: sqlIdentifier(checked.name)} : values);
}

/** A CloudNativePG cluster's volumes grow with its storage.size (the operator resizes them); they never shrink. */
async function checkHaVolume(cluster: Pick<Cluster, 'get'>, namespace: string, checked: CheckedDbFlags): Promise<{templateSize?: string; grow?: string}> {
  const existing = await cluster.get<KubeObject & {spec?: {storage?: {size?: string}}}>({apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: checked.name, namespace});
  const current = existing?.spec?.storage?.size;
  if (current && checked.size && compareQuantities(parseQuantity(checked.size)!, parseQuantity(current)!) < 0) {
    throw usageError(`Database ${checked.name}'s volumes are ${current}; volumes cannot shrink to ${checked.size}.`, `pass --size ${current} or more (or leave it out).`, {database: checked.name, size: current});
  }
  return {};
}

/**
 * Volumes cannot shrink, and a StatefulSet's claim template cannot change at all: a bigger size
 * is a resize of the claim itself (the StatefulSet keeps the size it was made with).
 */
function checkVolume({claim, statefulSet}: {claim?: Claim; statefulSet?: StatefulSetWithClaims}, checked: CheckedDbFlags): {templateSize?: string; grow?: string} {
  const template = statefulSet?.spec?.volumeClaimTemplates?.[0]?.spec;
  const current = claim?.spec?.resources?.requests?.storage ?? template?.resources?.requests?.storage;
  const currentClass = claim?.spec?.storageClassName;
  if (checked.storageClass && currentClass && checked.storageClass !== currentClass) {
    throw usageError(`Database ${checked.name}'s volume has storage class ${currentClass}; a volume cannot move to ${checked.storageClass}.`, `leave out --storage-class, or pass --storage-class ${currentClass}.`, {database: checked.name, storageClass: currentClass});
  }
  const result: {templateSize?: string; grow?: string} = {};
  if (template?.resources?.requests?.storage) result.templateSize = template.resources.requests.storage;
  if (!current || !checked.size) return result;
  const order = compareQuantities(parseQuantity(checked.size)!, parseQuantity(current)!);
  if (order < 0) {
    throw usageError(`Database ${checked.name}'s volume is ${current}; volumes cannot shrink to ${checked.size}.`, `pass --size ${current} or more (or leave it out).`, {database: checked.name, size: current});
  }
  if (order > 0 && claim) result.grow = checked.size;
  return result;
}

function keepClaimTemplate(objects: KubeObject[], size: string): void {
  const statefulSet = objects.find((object) => object.kind === 'StatefulSet');
  const template = (statefulSet?.spec as {volumeClaimTemplates?: Array<{spec: {resources: {requests: {storage: string}}}}>} | undefined)?.volumeClaimTemplates?.[0];
  if (template) template.spec.resources.requests.storage = size;
}

