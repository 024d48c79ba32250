import {GshiftCommand} from '../../base-command.js';
import {viewOutputFlag} from '../../flags.js';
import {tenantClusterFlags} from '../../tenant-flags.js';

export default class TenantList extends GshiftCommand {
  static override summary = 'List tenants, their environments and quota use (used/hard, summed over environments).';
  static override examples = ['<%= config.bin %> tenant list', '<%= config.bin %> tenant list --json', '<%= config.bin %> tenant list -o wide'];
  static override flags = {output: viewOutputFlag, ...tenantClusterFlags};

  async run() {
    const {flags} = await this.parse(TenantList);
    const [{listTenants}, {renderTenantList}] = await Promise.all([import('../../tenant/list.js'), import('../../ui/tenant-views.js')]);
    const tenants = await listTenants({cluster: {kubeconfig: flags.kubeconfig, context: flags.context}});
    await this.present(tenants, flags.output, {table: () => renderTenantList(tenants), wide: () => renderTenantList(tenants, {wide: true})});
    return tenants;
  }
}
