import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import {type ConvergeHooks, type ConvergeReport, convergeTenant} from './converge.js';
import {type CreateRequest, planCreate} from './settings.js';
import {findTenantNamespaces} from './namespaces.js';

export interface TenantRun {
  cluster: ClusterFlags;
  /** Where to look for the gshift config (default: the working directory). */
  cwd?: string;
  hooks: ConvergeHooks;
  /** "gshift/v0.1.0", for the ApplySet tooling annotation. */
  tooling?: string;
}

export interface CreateReport extends ConvergeReport {
  /** Environments the tenant has that --envs did not name: left as they are. */
  untouched: string[];
}

/** `gshift tenant create`: every input is checked before the cluster is contacted. */
export async function createTenant(request: CreateRequest, run: TenantRun): Promise<CreateReport> {
  const effective = await loadSessionConfig({cwd: run.cwd});
  const config = effective.values;
  const plan = planCreate(request, config);
  return withSession(run.cluster, {config: effective}, async ({cluster}) => {
    const report = await convergeTenant(cluster, plan, {...config, tooling: run.tooling}, run.hooks);
    const planned = new Set(plan.environments.map((env) => env.namespace));
    const others = (await findTenantNamespaces(cluster, plan.tenant)).filter((entry) => !planned.has(entry.namespace));
    return {...report, untouched: others.map((entry) => entry.namespace)};
  });
}
