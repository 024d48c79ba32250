import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {usageError} from '../../errors.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class AppList extends GshiftCommand {
  static override summary = 'List the apps in a namespace, or with -A in every environment of a tenant: stack, image, ready replicas, age and URL.';
  static override examples = [
    '<%= config.bin %> app list --tenant shop --env dev',
    '<%= config.bin %> app list -n shop-dev --json',
    '<%= config.bin %> app list --tenant shop -A',
    '<%= config.bin %> app list -n shop-dev -o wide',
  ];
  static override flags = {
    'all-envs': Flags.boolean({char: 'A', description: "List the tenant's apps in all of its environments (the tenant from --tenant, the config or the namespace).", default: false}),
    output: viewOutputFlag,
    ...clusterFlags,
  };

  async run() {
    const {flags} = await this.parse(AppList);
    const [{openSession}, {listApps, listTenantApps}, {appListView, tenantAppListView}] = await Promise.all([
      import('../../core/session.js'),
      import('../../app/list.js'),
      import('../../ui/app-views.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    const {cluster, target} = session;
    try {
      if (flags['all-envs']) {
        if (!target.tenant) throw usageError('-A lists the apps of a tenant in all of its environments, and no tenant is known here.', 'pass --tenant, set "tenant" in the gshift config, or -n a namespace of the tenant.');
        const listing = await listTenantApps(cluster, target.tenant, session.config.values.environments);
        for (const {namespace, reason} of listing.unreadable) this.warnUser(`${namespace} left out: ${reason}`);
        const result = {tenant: target.tenant, environments: listing.environments};
        await this.present(result, flags.output, {table: () => tenantAppListView(listing.environments), wide: () => tenantAppListView(listing.environments, {wide: true})});
        return result;
      }
      const apps = await listApps(cluster, target.namespace);
      const result = {namespace: target.namespace, apps};
      await this.present(result, flags.output, {table: () => appListView(apps, target.namespace), wide: () => appListView(apps, target.namespace, {wide: true})});
      return result;
    } finally {
      await cluster.close();
    }
  }
}
