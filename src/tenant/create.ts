import {type ClusterFlags, loadSessionConfig, withSession} from '../core/session.js';
import {type ConvergeHooks, type ConvergeReport, convergeTenant} from './converge.js';
import {type CreateRequest, type TenantPlan, planCreate} from './settings.js';
import type {KubeObject} from '../cluster/index.js';
import type {GshiftConfig} from '../config/schema.js';
import {findTenantNamespaces} from './namespaces.js';

export interface TenantRun {
  cluster: ClusterFlags;
  /** Where to look for the gshift config (default: the working directory). */
  cwd?: string;
  hooks: ConvergeHooks;
  /** "gshift/v0.1.0", for the ApplySet tooling annotation. */
  tooling?: string;
  /** Have the server validate and admit everything without saving it (--dry-run=server). */
  serverDryRun?: boolean;
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
    const report = await convergeTenant(cluster, plan, {...config, tooling: run.tooling, dryRun: run.serverDryRun}, run.hooks);
    const planned = new Set(plan.environments.map((env) => env.namespace));
    const others = (await findTenantNamespaces(cluster, plan.tenant)).filter((entry) => !planned.has(entry.namespace));
    return {...withoutOutcomes(report), untouched: others.map((entry) => entry.namespace)};
  });
}

/**
 * `tenant create --dry-run` (client): the objects of every environment, rendered without a
 * cluster. The Pod Security version is --pod-security-version's, else "latest" (a real create
 * pins the cluster's version), the platform the config's (OpenShift when it says auto).
 */
export async function renderTenant(request: CreateRequest, options: {cwd?: string} = {}): Promise<{objects: KubeObject[]; podSecurityVersion: string}> {
  const {values} = await loadSessionConfig({cwd: options.cwd});
  const plan = planCreate(request, values);
  const podSecurityVersion = plan.podSecurityVersion ?? 'latest';
  return {objects: await renderPlan(plan, values, () => podSecurityVersion), podSecurityVersion};
}

/** Every environment of a plan, rendered: the namespace's pinned Pod Security version from `pinned`. */
export async function renderPlan(plan: TenantPlan, config: GshiftConfig, pinned: (env: string) => string): Promise<KubeObject[]> {
  const {renderEnvironment} = await import('./render.js');
  const network = {platform: config.platform === 'auto' ? ('openshift' as const) : config.platform, ingressNamespaceLabel: config.ingressNamespaceLabel, monitoringNamespaceLabel: config.monitoringNamespaceLabel};
  return plan.environments.flatMap((env) => renderEnvironment({plan: env, podSecurityVersion: plan.podSecurityVersion ?? pinned(env.env), network}));
}

/** A report as tenant create and update give it: what happened by Kind/name (a dry run's objects are `gshift diff`'s business). */
export function withoutOutcomes(report: ConvergeReport): ConvergeReport {
  return {...report, environments: report.environments.map(({outcomes: _outcomes, ...environment}) => environment)};
}
