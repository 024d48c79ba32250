import type {GshiftConfig} from '../config/schema.js';
import {parseQuotaSpec} from '../tenant/quota.js';
import {type EnvironmentSettings, type TenantPlan, parseGroups, planEnvironment} from '../tenant/settings.js';
import type {Plan} from './plan.js';
import type {TenantFile} from './tenant-file.js';

/**
 * The tenant's part of the plan's environments, as `tenant create` would plan it from flags:
 * the file's groups and CI account in every environment, its quota (an environment's own, else
 * spec.quota) over the profile of the environment's kind. The file was checked: nothing throws.
 */
export function tenantPlanOf(file: TenantFile, plan: Plan, config: Pick<GshiftConfig, 'environments' | 'haEnvironments'>): TenantPlan {
  const groups = file.spec.groups ?? {};
  const members = {
    admins: parseGroups('admins', groups.admins) ?? [],
    developers: parseGroups('developers', groups.developers) ?? [],
    viewers: parseGroups('viewers', groups.viewers) ?? [],
  };
  return {
    tenant: file.metadata.name,
    environments: plan.environments.map((environment) => {
      const settings: EnvironmentSettings = {quota: environment.quota ? parseQuotaSpec(environment.quota) : {}, members, ciAccount: file.spec.ciAccount ?? false};
      return planEnvironment(file.metadata.name, environment.name, settings, config);
    }),
    adopt: false,
  };
}
