import * as Args from '@oclif/core/args';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class AppStatus extends GshiftCommand {
  static override summary = "Show an app's health: conditions, pods with restarts and reasons, URL, autoscaler, recent events, CPU and memory.";
  static override examples = ['<%= config.bin %> app status web --tenant shop --env dev', '<%= config.bin %> app status web -n shop-dev --json', '<%= config.bin %> app status web -n shop-dev -o wide'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(AppStatus);
    const [{openSession}, {appStatus}, {appStatusView}] = await Promise.all([import('../../core/session.js'), import('../../app/status.js'), import('../../ui/app-views.js')]);
    const {cluster, target} = await openSession(flags, {readNamespace: true});
    try {
      const status = await appStatus(cluster, target.namespace, args.name);
      await this.present(status, flags.output, {table: () => appStatusView(status), wide: () => appStatusView(status, {wide: true})});
      return status;
    } finally {
      await cluster.close();
    }
  }
}
