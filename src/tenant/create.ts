import type {ClusterOptions} from '../cluster/index.js';
import {loadConfig} from '../config/load.js';
import {type ConvergeHooks, type ConvergeReport, convergeTenant} from './converge.js';
import {type CreateRequest, planCreate} from './settings.js';
import {findTenantNamespaces, withCluster} from './status.js';

export interface TenantRun {
  cluster: ClusterOptions;
  /** Where to look for the gshift config (default: the working directory). */
  cwd?: string;
  hooks: ConvergeHooks;
}

export interface CreateReport extends ConvergeReport {
  /** Environments the tenant has that --envs did not name: left as they are. */
  untouched: string[];
}

/** `gshift tenant create`: every input is checked before the cluster is contacted. */
export async function createTenant(request: CreateRequest, run: TenantRun): Promise<CreateReport> {
  const {values: config} = await loadConfig(run.cwd);
  const plan = planCreate(request, config);
  return withCluster(run.cluster, async (cluster) => {
    const report = await convergeTenant(cluster, plan, config, run.hooks);
    const planned = new Set(plan.environments.map((env) => env.namespace));
    const others = (await findTenantNamespaces(cluster, plan.tenant)).filter((entry) => !planned.has(entry.namespace));
    return {...report, untouched: others.map((entry) => entry.namespace)};
  });
}
