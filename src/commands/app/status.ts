import {Args} from '@oclif/core';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags} from '../../flags.js';

export default class AppStatus extends GshiftCommand {
  static override summary = "Show an app's health: conditions, pods with restarts and reasons, URL, autoscaler, recent events, CPU and memory.";
  static override examples = ['<%= config.bin %> app status web --tenant shop --env dev', '<%= config.bin %> app status web -n shop-dev --json'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(AppStatus);
    const [{openSession}, {appStatus}, {appStatusView}] = await Promise.all([import('../../core/session.js'), import('../../app/status.js'), import('../../ui/app-views.js')]);
    const {cluster, target} = await openSession(flags, {readNamespace: true});
    try {
      const status = await appStatus(cluster, target.namespace, args.name);
      this.print(appStatusView(status));
      return status;
    } finally {
      await cluster.close();
    }
  }
}
