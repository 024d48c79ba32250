import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
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
    const namespaces = (await findTenantNamespaces(cluster, request.name)).sort(byPromotionOrder(config.environments));
    if (namespaces.length === 0) {
      throw notFoundError(`There is no tenant "${request.name}".`, `create it with gshift tenant create ${request.name}, or list tenants with gshift tenant list.`, {tenant: request.name});
    }
    const adding = request.addEnvs === undefined ? [] : parseEnvironmentList(request.addEnvs, config);
    if (request.env !== undefined && !namespaces.some((entry) => entry.env === request.env) && !adding.includes(request.env)) {
      throw notFoundError(`Tenant "${request.name}" has no environment "${request.env}" (it has ${namespaces.map((entry) => entry.env).join(', ')}).`, `add it with gshift tenant update ${request.name} --add-env ${request.env}.`);
    }
    const current = new Map(namespaces.map((entry) => [entry.env, readSettings(entry.object.metadata.annotations?.[SETTINGS_ANNOTATION]) ?? NO_SETTINGS]));
    return convergeTenant(cluster, planUpdate(request, current, config), {...config, tooling: run.tooling}, run.hooks);
  });
}
