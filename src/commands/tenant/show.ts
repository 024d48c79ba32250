import * as Args from '@oclif/core/args';

import {GshiftCommand} from '../../base-command.js';
import {viewOutputFlag} from '../../flags.js';
import {tenantClusterFlags} from '../../tenant-flags.js';

export default class TenantShow extends GshiftCommand {
  static override summary = 'Show a tenant per environment: quota used/hard as bars, members, network policies, Pod Security.';
  static override examples = ['<%= config.bin %> tenant show shop', '<%= config.bin %> tenant show shop --json', '<%= config.bin %> tenant show shop -o yaml'];
  static override args = {name: Args.string({description: 'The tenant.', required: true})};
  static override flags = {output: viewOutputFlag, ...tenantClusterFlags};

  async run() {
    const {args, flags} = await this.parse(TenantShow);
    const [{showTenant}, {renderTenantDetails}] = await Promise.all([import('../../tenant/show.js'), import('../../ui/tenant-views.js')]);
    const details = await showTenant(args.name, {cluster: {kubeconfig: flags.kubeconfig, context: flags.context}});
    await this.present(details, flags.output, {table: () => renderTenantDetails(details)});
    return details;
  }
}
