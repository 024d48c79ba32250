import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {bareDryRunAsClient, dryRunFlag, forceConflictsFlag, manifestOutputFlag, refuseOutputWithoutDryRun} from '../../flags.js';
import type {EnvironmentReport} from '../../tenant/converge.js';
import {memberFlags, podSecurityVersionFlag, quotaFlag, tenantClusterFlags} from '../../tenant-flags.js';
import {startProgress} from '../../ui/progress.js';

export default class TenantCreate extends GshiftCommand {
  static override summary = 'Create or converge a tenant: one isolated namespace per environment, with quotas, network policies and access.';
  static override description =
    'Each environment gets the namespace NAME-ENV with Pod Security "restricted", a ResourceQuota and LimitRange, NetworkPolicies that deny ingress except from the namespace itself, the router and monitoring, and RoleBindings for the groups given. Running it again with the same flags changes nothing; with other flags it converges, removing what gshift placed before and no longer wants. Environments not named in --envs are left alone.';
  static override examples = [
    '<%= config.bin %> tenant create shop --admins shop-admins --developers shop-devs',
    '<%= config.bin %> tenant create shop --envs dev,test --quota cpu=4,memory=8Gi,storage=50Gi,pods=30 --ci-account',
  ];
  static override args = {name: Args.string({description: 'The tenant: a team or institution (DNS label, e.g. shop).', required: true})};
  static override flags = {
    ...tenantClusterFlags,
    envs: Flags.string({description: 'Comma-separated environments (default: all of the config\'s environments).', env: 'GSHIFT_TENANT_ENVS'}),
    quota: quotaFlag,
    ...memberFlags,
    'ci-account': Flags.boolean({description: 'Add a CI ServiceAccount with edit rights (see tenant ci-kubeconfig).', env: 'GSHIFT_TENANT_CI_ACCOUNT', helpGroup: 'ACCESS'}),
    adopt: Flags.boolean({description: 'Take over existing namespaces with the tenant\'s names that gshift did not create.'}),
    'pod-security-version': podSecurityVersionFlag,
    'force-conflicts': forceConflictsFlag,
    'dry-run': dryRunFlag,
    output: manifestOutputFlag,
  };

  async run() {
    const {args, flags} = await this.parse(TenantCreate, bareDryRunAsClient(this.argv));
    refuseOutputWithoutDryRun(flags['dry-run'], this.argv);
    const request = {name: args.name, envs: flags.envs, quota: flags.quota, admins: flags.admins, developers: flags.developers, viewers: flags.viewers, ciAccount: flags['ci-account'], adopt: flags.adopt, podSecurityVersion: flags['pod-security-version'], forceConflicts: flags['force-conflicts']};
    if (flags['dry-run'] === 'client') {
      const [{renderTenant}, {formatManifests}] = await Promise.all([import('../../tenant/create.js'), import('../../render/manifest.js')]);
      const rendered = await renderTenant(request);
      if (!flags['pod-security-version']) this.note('Pod Security is shown pinned to "latest": a real create pins the cluster\'s version (or --pod-security-version).');
      this.print((await formatManifests(rendered.objects, flags.output)).trimEnd());
      return {dryRun: 'client', list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: rendered.objects}};
    }
    const {createTenant} = await import('../../tenant/create.js');
    const done: string[] = [];
    this.interruptedSummary = () => (done.length > 0 ? `${done.join(', ')} converged` : undefined);
    const progress = await startProgress(`Checking tenant ${args.name}…`, {quiet: this.jsonEnabled()});
    try {
      const serverDryRun = flags['dry-run'] === 'server';
      const report = await createTenant(request, {
        serverDryRun,
        cluster: {kubeconfig: flags.kubeconfig, context: flags.context},
        tooling: `gshift/v${this.config.version}`, hooks: {warn: (text) => this.warnUser(text), progress: (text) => progress.update(text), finished: (env: EnvironmentReport) => done.push(env.namespace)},
      });
      progress.stop();
      const {renderConvergeReport} = await import('../../ui/tenant-views.js');
      for (const namespace of report.untouched) this.note(`${namespace} is not in --envs and was left as it is (remove it with gshift tenant delete ${args.name} --env …).`);
      this.print(renderConvergeReport(report, serverDryRun ? 'would be ready' : 'is ready'));
      if (serverDryRun) this.print('Nothing was saved (server dry run).');
      return {...report, ...(serverDryRun ? {dryRun: 'server'} : {})};
    } catch (error) {
      progress.stop();
      throw error;
    }
  }
}
