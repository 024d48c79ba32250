import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {durationFlag, yesFlag} from '../../flags.js';
import {tenantClusterFlags} from '../../tenant-flags.js';
import {confirmDestructive} from '../../ui/prompt.js';
import {startProgress} from '../../ui/progress.js';

export default class TenantDelete extends GshiftCommand {
  static override summary = "Delete a tenant's namespaces, with everything in them (all environments, or one with --env).";
  static override description =
    'Lists what will go first. On a terminal you confirm by typing the tenant name; scripts must pass --yes. Waits until the namespaces are gone unless --no-wait.';
  static override examples = ['<%= config.bin %> tenant delete shop', '<%= config.bin %> tenant delete shop --env dev --yes'];
  static override args = {name: Args.string({description: 'The tenant.', required: true})};
  static override flags = {
    ...tenantClusterFlags,
    env: Flags.string({description: 'Delete only this environment.'}),
    yes: yesFlag,
    wait: Flags.boolean({description: 'Wait until the namespaces are gone.', default: true, allowNo: true}),
    timeout: durationFlag({description: 'How long to wait for the namespaces to be gone (e.g. 90s, 5m).', env: 'GSHIFT_TIMEOUT', defaultText: '5m'}),
  };

  async run() {
    const {args, flags} = await this.parse(TenantDelete);
    const [{deleteTenant}, {renderDoomed}] = await Promise.all([import('../../tenant/delete.js'), import('../../ui/tenant-views.js')]);
    const what = flags.env ? `environment ${flags.env} of tenant ${args.name}` : `tenant ${args.name}`;
    const progress = await startProgress(`Finding ${what}…`, {quiet: this.jsonEnabled()});
    const report = await deleteTenant(
      {name: args.name, env: flags.env, waitMs: flags.wait ? flags.timeout : 0},
      {cluster: {kubeconfig: flags.kubeconfig, context: flags.context}, hooks: {warn: (text) => this.warnUser(text), progress: (text) => progress.update(text)}},
      async (doomed) => {
        progress.stop();
        this.note(`This deletes, with everything in them:\n${renderDoomed(doomed)}`);
        return confirmDestructive({message: `Delete ${what}?`, yes: flags.yes, typeToConfirm: args.name});
      },
    ).finally(() => progress.stop());
    if (report.deleted) this.print(`Deleted ${what}: ${report.namespaces.map((entry) => entry.namespace).join(', ')}.`);
    else if (report.namespaces.length > 0 && !report.confirmed && report.namespaces.every((entry) => entry.phase === 'Terminating')) this.print(`Nothing to delete: ${report.namespaces.map((entry) => entry.namespace).join(', ')} ${report.namespaces.length > 1 ? 'are' : 'is'} already being deleted.`);
    else if (report.namespaces.length > 0) this.print(`Not deleted: ${what}.`);
    else this.print(`Nothing to delete: there is no ${what}.`);
    return report;
  }
}
