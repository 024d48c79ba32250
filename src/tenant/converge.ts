import type {ApplyOutcome, Cluster, KubeObject} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {ENV_LABEL, MANAGED_BY_LABEL, MANAGER, TENANT_LABEL, isOwnedBy, tenantLabels, tenantPartSelector} from '../core/labels.js';
import {converge, tally} from '../converge/engine.js';
import {compareQuantities, formatQuantity, parseQuantity} from '../core/quantity.js';
import {QUOTA_KEYS} from './quota.js';
import {type NetworkSettings, QUOTA_NAME, objectKey, renderEnvironment, tenantSetName} from './render.js';
import type {EnvironmentPlan, TenantPlan} from './settings.js';

/** What converging one environment did, by `Kind/name`. */
export interface EnvironmentReport {
  env: string;
  namespace: string;
  created: string[];
  configured: string[];
  unchanged: string[];
  deleted: string[];
  /** Objects the user may not write in an OpenShift project (the project template governs them). */
  skipped: string[];
  /** The namespace was requested as an OpenShift project. */
  projectRequested: boolean;
  /** In a dry run: what each object would become, and was (see ApplyOutcome.before). */
  outcomes?: ApplyOutcome[];
}

export interface ConvergeReport {
  tenant: string;
  environments: EnvironmentReport[];
  /** False when the run wrote nothing: "No changes". */
  changed: boolean;
}

export interface ConvergeHooks {
  warn(text: string): void;
  progress?(text: string): void;
  /** After each environment, so Ctrl-C can say what is done. */
  finished?(report: EnvironmentReport): void;
}

export interface ConvergeSettings {
  platform: 'auto' | 'openshift' | 'kubernetes';
  /** "gshift/v0.1.0", for the ApplySet tooling annotation. */
  tooling?: string;
  ingressNamespaceLabel: string;
  monitoringNamespaceLabel: string;
  /**
   * Server-side dry run: nothing is written. The objects of a namespace that does not exist yet
   * cannot be rehearsed in it, so they are reported as created, as rendered.
   */
  dryRun?: boolean;
}

const PSS_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
/** What a project admin on OpenShift may not write; the cluster's project template provides them instead. */
const PROJECT_GOVERNED = new Set(['Namespace', 'ResourceQuota', 'LimitRange']);

interface Prepared {
  plan: EnvironmentPlan;
  existing?: KubeObject;
  objects: KubeObject[];
}

/**
 * Makes the cluster hold exactly the plan: checks ownership of every namespace first (nothing
 * is written when one belongs to someone else), renders everything, then applies environment by
 * environment with server-side apply and prunes what gshift placed before but no longer wants.
 */
export async function convergeTenant(cluster: Cluster, plan: TenantPlan, settings: ConvergeSettings, hooks: ConvergeHooks): Promise<ConvergeReport> {
  const existing = await Promise.all(plan.environments.map((env) => visibleNamespace(cluster, env.namespace)));
  for (const [index, namespace] of existing.entries()) {
    if (namespace) await checkOwnership(cluster, namespace, plan.environments[index]!, plan.adopt);
  }
  const network = await networkSettings(cluster, settings);
  let serverPss: string | undefined;
  const prepared: Prepared[] = [];
  for (const [index, env] of plan.environments.entries()) {
    const current = existing[index];
    const pinned = plan.podSecurityVersion ?? current?.metadata.labels?.[PSS_VERSION_LABEL] ?? (serverPss ??= await serverPodSecurityVersion(cluster));
    prepared.push({plan: env, existing: current, objects: renderEnvironment({plan: env, podSecurityVersion: pinned, network})});
  }
  // Read beside the applies: the warning does not change what is applied.
  const quotaWarnings = Promise.all(prepared.filter((entry) => entry.existing).map((entry) => warnAboutQuotaUse(cluster, entry.plan, hooks).catch(() => undefined)));

  const reports: EnvironmentReport[] = [];
  let projects: boolean | undefined;
  for (const entry of prepared) {
    hooks.progress?.(`Applying ${entry.plan.namespace}…`);
    const report: EnvironmentReport = {env: entry.plan.env, namespace: entry.plan.namespace, created: [], configured: [], unchanged: [], deleted: [], skipped: [], projectRequested: false};
    if (!entry.existing) {
      projects ??= await mustRequestProjects(cluster);
      if (projects) {
        await cluster.create({apiVersion: 'project.openshift.io/v1', kind: 'ProjectRequest', metadata: {name: entry.plan.namespace}}, {dryRun: settings.dryRun});
        report.projectRequested = true;
      }
    }
    const adopting = Boolean(entry.existing) && !isOwnedBy(entry.existing?.metadata.labels, plan.tenant);
    await applyEnvironment(cluster, entry, report, {force: adopting || Boolean(plan.forceConflicts), tolerateForbidden: report.projectRequested || isProject(entry.existing), tooling: settings.tooling ?? 'gshift', dryRun: Boolean(settings.dryRun)});
    hooks.finished?.(report);
    reports.push(report);
  }
  await quotaWarnings;
  if (!settings.dryRun) await Promise.all(reports.map((report) => quotaInForce(cluster, report, hooks)));
  for (const report of reports) {
    if (report.skipped.length > 0) {
      hooks.warn(`${report.namespace} is an OpenShift project: you may not set ${report.skipped.join(', ')}; the cluster's project template provides them.`);
    }
  }
  const changed = reports.some((report) => report.created.length + report.configured.length + report.deleted.length > 0 || report.projectRequested);
  return {tenant: plan.tenant, environments: reports, changed};
}

async function checkOwnership(cluster: Cluster, namespace: KubeObject, env: EnvironmentPlan, adopt: boolean): Promise<void> {
  const labels = namespace.metadata.labels ?? {};
  const name = namespace.metadata.name ?? env.namespace;
  if ((namespace.status as {phase?: string} | undefined)?.phase === 'Terminating') {
    throw new GshiftError('CONFLICT', `The namespace "${name}" is being deleted.`, {hint: 'wait until it is gone, then run the command again.', details: {namespace: name}});
  }
  if (isOwnedBy(labels, env.tenant)) {
    if (labels[ENV_LABEL] !== undefined && labels[ENV_LABEL] !== env.env) {
      throw new GshiftError('CONFLICT', `The namespace "${name}" belongs to environment "${labels[ENV_LABEL]}" of tenant "${env.tenant}", not "${env.env}".`, {hint: 'fix the label gshift.io/env on it, or delete it with gshift tenant delete.', details: {namespace: name}});
    }
    return;
  }
  if (labels[MANAGED_BY_LABEL] === MANAGER && labels[TENANT_LABEL] && labels[TENANT_LABEL] !== env.tenant) {
    throw new GshiftError('CONFLICT', `The namespace "${name}" belongs to gshift tenant "${labels[TENANT_LABEL]}".`, {hint: 'choose another tenant name.', details: {namespace: name, owner: labels[TENANT_LABEL]}});
  }
  if (adopt) return;
  // An OpenShift project gshift requested earlier carries no labels (project admins may not set them), but holds gshift's policies.
  if (isProject(namespace)) {
    const parts = await cluster.list('networking.k8s.io/v1', 'NetworkPolicy', {namespace: name, labelSelector: tenantPartSelector(env.tenant)});
    if (parts.items.length > 0) return;
  }
  throw new GshiftError('CONFLICT', `The namespace "${name}" already exists and was not made by gshift for tenant "${env.tenant}".`, {
    hint: 'choose another tenant name, or pass --adopt to take the existing namespaces over.',
    details: {namespace: name},
  });
}

function isProject(namespace: KubeObject | undefined): boolean {
  return Boolean(namespace?.metadata.annotations?.['openshift.io/requester']) && namespace?.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGER;
}

async function networkSettings(cluster: Cluster, settings: ConvergeSettings): Promise<NetworkSettings> {
  const platform = settings.platform === 'auto' ? (await cluster.discovery()).platform() : settings.platform;
  return {platform, ingressNamespaceLabel: settings.ingressNamespaceLabel, monitoringNamespaceLabel: settings.monitoringNamespaceLabel};
}

/** v1.36 for a 1.36 server: "36+" (GKE, EKS) counts as 36. */
export async function serverPodSecurityVersion(cluster: Cluster): Promise<string> {
  const version = await cluster.serverVersion();
  const major = Number.parseInt(version.major, 10);
  const minor = Number.parseInt(version.minor, 10);
  if (Number.isNaN(major) || Number.isNaN(minor)) {
    const match = /^v?(\d+)\.(\d+)/.exec(version.gitVersion);
    return match ? `v${match[1]}.${match[2]}` : 'latest';
  }
  return `v${major}.${minor}`;
}

/**
 * The namespace, or undefined when it does not exist or the user may not see it: on OpenShift a
 * user may read only the projects they belong to. A namespace hidden that way exists for someone
 * else, and the ProjectRequest for it then fails as "already exists".
 */
async function visibleNamespace(cluster: Cluster, name: string): Promise<KubeObject | undefined> {
  try {
    return await cluster.get({apiVersion: 'v1', kind: 'Namespace', name});
  } catch (error) {
    if (error instanceof GshiftError && error.code === 'FORBIDDEN') return undefined;
    throw error;
  }
}

/** Where the user may not create Namespaces but the cluster serves ProjectRequests, tenants get projects. */
async function mustRequestProjects(cluster: Cluster): Promise<boolean> {
  const discovery = await cluster.discovery();
  if (!discovery.has('project.openshift.io/v1')) return false;
  return !(await canI(cluster, {verb: 'create', resource: 'namespaces'}));
}

export async function canI(cluster: Cluster, attributes: {verb: string; resource: string; group?: string; namespace?: string}): Promise<boolean> {
  const review = await cluster.create<{status?: {allowed?: boolean}}>({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: {resourceAttributes: {group: '', ...attributes}},
  });
  return review.status?.allowed === true;
}

/**
 * The Namespace first (it holds the rest), then everything else as the tenant's set in it,
 * through the converge engine: applied, recorded, and what the plan no longer has pruned.
 * App objects are never in the tenant's set, so no prune can touch them. An environment that
 * exists is rehearsed first (a dry run), so one that is as it should be is not written at all.
 */
async function applyEnvironment(cluster: Cluster, entry: Prepared, report: EnvironmentReport, options: {force: boolean; tolerateForbidden: boolean; tooling: string; dryRun: boolean}): Promise<void> {
  const namespaceScoped = entry.objects.filter((object) => object.kind !== 'Namespace');
  const mayBeForbidden = options.tolerateForbidden ? (object: KubeObject) => PROJECT_GOVERNED.has(object.kind) : undefined;
  const namespace = entry.objects.find((object) => object.kind === 'Namespace');
  const outcomes: ApplyOutcome[] = [];
  if (namespace) {
    try {
      for (const outcome of await applyNamespace(cluster, namespace, {force: options.force, dryRun: options.dryRun, exists: Boolean(entry.existing)})) {
        report[outcome.action].push(objectKey(namespace));
        outcomes.push(outcome);
      }
    } catch (error) {
      if (!(error instanceof GshiftError && error.code === 'FORBIDDEN' && mayBeForbidden?.(namespace))) throw error;
      report.skipped.push(objectKey(namespace));
    }
  }
  const set = {name: tenantSetName(entry.plan.tenant), namespace: entry.plan.namespace, tooling: options.tooling, labels: tenantLabels(entry.plan.tenant, entry.plan.env)};
  const converged = await converge(cluster, {
    set,
    objects: namespaceScoped,
    rehearse: Boolean(entry.existing),
    dryRun: options.dryRun,
    namespacePending: !entry.existing,
    // A namespace made just now holds none of these yet: nothing to read before writing them.
    emptyNamespace: !entry.existing && !report.projectRequested,
    force: options.force,
    ...(mayBeForbidden ? {mayBeForbidden} : {}),
  });
  const result = tally(converged);
  report.created.push(...result.created);
  report.configured.push(...result.configured);
  report.unchanged.push(...result.unchanged);
  report.deleted.push(...result.pruned);
  report.skipped.push(...result.skipped);
  if (options.dryRun) report.outcomes = [...outcomes, ...(converged.parent ? [converged.parent] : []), ...converged.outcomes];
}

/** The Namespace, written only when a dry run of it says it would change (or it is new). */
async function applyNamespace(cluster: Cluster, namespace: KubeObject, options: {force: boolean; dryRun: boolean; exists: boolean}): Promise<ApplyOutcome[]> {
  if (!options.exists) return cluster.apply([namespace], {force: options.force, dryRun: options.dryRun});
  const {applyWhenChanged} = await import('../converge/apply-changed.js');
  return applyWhenChanged(cluster, [namespace], {force: options.force, dryRun: options.dryRun});
}

type Quota = KubeObject & {spec?: {hard?: Record<string, string>}; status?: {hard?: Record<string, string>}};

/**
 * The API server admits pods against a quota's status, which kube-controller-manager copies from
 * its spec a moment after each change (and refuses every pod until it has): a quota just written
 * is waited for, so the next command already meets it.
 */
async function quotaInForce(cluster: Cluster, report: EnvironmentReport, hooks: ConvergeHooks): Promise<void> {
  const key = `ResourceQuota/${QUOTA_NAME}`;
  if (!report.created.includes(key) && !report.configured.includes(key)) return;
  const inForce = (quota: Quota | undefined) => Object.entries(quota?.spec?.hard ?? {}).every(([name, value]) => quota?.status?.hard?.[name] === value);
  const deadline = Date.now() + QUOTA_SYNC_MS;
  while (Date.now() < deadline) {
    if (inForce(await cluster.get<Quota>({apiVersion: 'v1', kind: 'ResourceQuota', name: QUOTA_NAME, namespace: report.namespace}))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  hooks.warn(`${report.namespace}: the cluster has not put the new quota in force yet (its quota controller counts it); until it does, the old limits apply.`);
}

const QUOTA_SYNC_MS = 15_000;

/** Lowering a quota below what is in use is allowed (running pods stay), but the user should know. */
async function warnAboutQuotaUse(cluster: Cluster, plan: EnvironmentPlan, hooks: ConvergeHooks): Promise<void> {
  const quota = await cluster.get<KubeObject & {status?: {used?: Record<string, string>}}>({apiVersion: 'v1', kind: 'ResourceQuota', name: QUOTA_NAME, namespace: plan.namespace});
  const used = quota?.status?.used ?? {};
  const over: string[] = [];
  for (const key of QUOTA_KEYS) {
    const inUse = used[key] === undefined ? undefined : parseQuantity(used[key]!);
    const hard = parseQuantity(plan.quota[key]);
    if (inUse && hard && compareQuantities(hard, inUse) < 0) over.push(`${key} ${plan.quota[key]} (in use: ${formatQuantity(inUse)})`);
  }
  if (over.length > 0) {
    hooks.warn(`${plan.namespace}: the new quota is below current use for ${over.join(', ')}. Running pods keep running; new ones are refused until use drops.`);
  }
}
