import {Args} from '@oclif/core';

import {GshiftCommand} from '../../base-command.js';
import {tenantClusterFlags} from '../../tenant-flags.js';

export default class TenantShow extends GshiftCommand {
  static override summary = 'Show a tenant per environment: quota used/hard as bars, members, network policies, Pod Security.';
  static override examples = ['<%= config.bin %> tenant show shop', '<%= config.bin %> tenant show shop --json'];
  static override args = {name: Args.string({description: 'The tenant.', required: true})};
  static override flags = {...tenantClusterFlags};

  async run() {
    const {args, flags} = await this.parse(TenantShow);
    const [{showTenant}, {renderTenantDetails}] = await Promise.all([import('../../tenant/show.js'), import('../../ui/tenant-views.js')]);
    const details = await showTenant(args.name, {cluster: {kubeconfig: flags.kubeconfig, context: flags.context}});
    this.print(renderTenantDetails(details));
    return details;
  }
}
