import type {Cluster, KubeObject} from '../cluster/index.js';
import type {GshiftConfig} from '../config/schema.js';
import {loadSessionConfig, withSession} from '../core/session.js';
import {notFoundError} from '../errors.js';
import {type ConvergeReport, convergeTenant} from './converge.js';
import type {TenantRun} from './create.js';
import {SETTINGS_ANNOTATION} from '../core/labels.js';
import {type EnvironmentSettings, type UpdateRequest, checkUpdate, parseEnvironmentList, planUpdate, readSettings} from './settings.js';
import {byPromotionOrder, findTenantNamespaces} from './namespaces.js';

const NO_SETTINGS: EnvironmentSettings = {quota: {}, members: {admins: [], developers: [], viewers: []}, ciAccount: false};

/** `gshift tenant update`: changes what the flags name in an existing tenant and keeps the rest. */
export async function updateTenant(request: UpdateRequest, run: TenantRun): Promise<ConvergeReport> {
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  checkUpdate(request, config);
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    const [{plan}, {withoutOutcomes}] = await Promise.all([planFromCluster(cluster, request, config), import('./create.js')]);
    return withoutOutcomes(await convergeTenant(cluster, plan, {...config, tooling: run.tooling, dryRun: run.serverDryRun}, run.hooks));
  });
}

/**
 * `tenant update --dry-run` (client): the objects the update would apply, from the tenant as
 * the cluster has it (read, nothing sent to be checked or saved).
 */
export async function renderTenantUpdate(request: UpdateRequest, run: Pick<TenantRun, 'cluster' | 'cwd'>): Promise<{objects: KubeObject[]}> {
  const effective = await loadSessionConfig({cwd: run.cwd});
  checkUpdate(request, effective.values);
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    const {plan, namespaces} = await planFromCluster(cluster, request, effective.values);
    const {renderPlan} = await import('./create.js');
    const pinned = (env: string) => namespaces.find((entry) => entry.env === env)?.object.metadata.labels?.['pod-security.kubernetes.io/enforce-version'] ?? 'latest';
    return {objects: await renderPlan(plan, effective.values, pinned)};
  });
}

/** The tenant's namespaces and the plan that changes what the request names in them. */
async function planFromCluster(cluster: Cluster, request: UpdateRequest, config: GshiftConfig) {
  const namespaces = (await findTenantNamespaces(cluster, request.name)).sort(byPromotionOrder(config.environments));
  if (namespaces.length === 0) {
    throw notFoundError(`There is no tenant "${request.name}".`, `create it with gshift tenant create ${request.name}, or list tenants with gshift tenant list.`, {tenant: request.name});
  }
  const adding = request.addEnvs === undefined ? [] : parseEnvironmentList(request.addEnvs, config);
  if (request.env !== undefined && !namespaces.some((entry) => entry.env === request.env) && !adding.includes(request.env)) {
    throw notFoundError(`Tenant "${request.name}" has no environment "${request.env}" (it has ${namespaces.map((entry) => entry.env).join(', ')}).`, `add it with gshift tenant update ${request.name} --add-env ${request.env}.`);
  }
  const current = new Map(namespaces.map((entry) => [entry.env, readSettings(entry.object.metadata.annotations?.[SETTINGS_ANNOTATION]) ?? NO_SETTINGS]));
  return {plan: planUpdate(request, current, config), namespaces};
}
