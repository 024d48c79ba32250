import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {bareDryRunAsClient, dryRunFlag, forceConflictsFlag, manifestOutputFlag, refuseOutputWithoutDryRun} from '../../flags.js';
import type {EnvironmentReport} from '../../tenant/converge.js';
import {memberFlags, podSecurityVersionFlag, quotaFlag, tenantClusterFlags} from '../../tenant-flags.js';
import {startProgress} from '../../ui/progress.js';

export default class TenantUpdate extends GshiftCommand {
  static override summary = 'Change a tenant: quota, groups, CI account, or add an environment; everything not named stays as it is.';
  static override description =
    'Quota items given replace those items only; a group flag replaces that group list (pass it empty, e.g. --viewers "", to remove it). With --env only that environment changes. --add-env creates environments with the members and CI account of the existing ones.';
  static override examples = [
    '<%= config.bin %> tenant update shop --quota cpu=16 --env prod',
    '<%= config.bin %> tenant update shop --add-env acc --viewers auditors',
    '<%= config.bin %> tenant update shop --no-ci-account',
  ];
  static override args = {name: Args.string({description: 'The tenant.', required: true})};
  static override flags = {
    ...tenantClusterFlags,
    env: Flags.string({description: 'Change only this environment.'}),
    'add-env': Flags.string({description: 'Comma-separated environments to add.'}),
    quota: quotaFlag,
    ...memberFlags,
    'ci-account': Flags.boolean({description: 'Add (or with --no-ci-account remove) the CI ServiceAccount.', allowNo: true, helpGroup: 'ACCESS'}),
    'pod-security-version': podSecurityVersionFlag,
    'force-conflicts': forceConflictsFlag,
    'dry-run': dryRunFlag,
    output: manifestOutputFlag,
  };

  async run() {
    const {args, flags} = await this.parse(TenantUpdate, bareDryRunAsClient(this.argv));
    refuseOutputWithoutDryRun(flags['dry-run'], this.argv);
    const request = {name: args.name, env: flags.env, addEnvs: flags['add-env'], quota: flags.quota, admins: flags.admins, developers: flags.developers, viewers: flags.viewers, ciAccount: flags['ci-account'], podSecurityVersion: flags['pod-security-version'], forceConflicts: flags['force-conflicts']};
    const cluster = {kubeconfig: flags.kubeconfig, context: flags.context};
    if (flags['dry-run'] === 'client') {
      const [{renderTenantUpdate}, {formatManifests}] = await Promise.all([import('../../tenant/update.js'), import('../../render/manifest.js')]);
      const rendered = await renderTenantUpdate(request, {cluster});
      this.print((await formatManifests(rendered.objects, flags.output)).trimEnd());
      return {dryRun: 'client', list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: rendered.objects}};
    }
    const {updateTenant} = await import('../../tenant/update.js');
    const done: string[] = [];
    this.interruptedSummary = () => (done.length > 0 ? `${done.join(', ')} converged` : undefined);
    const progress = await startProgress(`Reading tenant ${args.name}…`, {quiet: this.jsonEnabled()});
    try {
      const serverDryRun = flags['dry-run'] === 'server';
      const report = await updateTenant(request, {
        serverDryRun,
        cluster,
        tooling: `gshift/v${this.config.version}`, hooks: {warn: (text) => this.warnUser(text), progress: (text) => progress.update(text), finished: (env: EnvironmentReport) => done.push(env.namespace)},
      });
      progress.stop();
      const {renderConvergeReport} = await import('../../ui/tenant-views.js');
      this.print(renderConvergeReport(report, serverDryRun ? 'would be updated' : 'was updated'));
      if (serverDryRun) this.print('Nothing was saved (server dry run).');
      return {...report, ...(serverDryRun ? {dryRun: 'server'} : {})};
    } catch (error) {
      progress.stop();
      throw error;
    }
  }
}
