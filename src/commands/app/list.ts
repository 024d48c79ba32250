import {GshiftCommand} from '../../base-command.js';
import {clusterFlags} from '../../flags.js';

export default class AppList extends GshiftCommand {
  static override summary = 'List the apps in a namespace: stack, image, ready replicas, age and URL.';
  static override examples = ['<%= config.bin %> app list --tenant shop --env dev', '<%= config.bin %> app list -n shop-dev --json'];
  static override flags = {...clusterFlags};

  async run() {
    const {flags} = await this.parse(AppList);
    const [{openSession}, {listApps}, {appListView}] = await Promise.all([import('../../core/session.js'), import('../../app/list.js'), import('../../ui/app-views.js')]);
    const {cluster, target} = await openSession(flags, {readNamespace: true});
    try {
      const apps = await listApps(cluster, target.namespace);
      this.print(appListView(apps, target.namespace));
      return {namespace: target.namespace, apps};
    } finally {
      await cluster.close();
    }
  }
}
