import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../base-command.js';
import {clusterFlags, viewOutputFlag} from '../flags.js';

export default class Top extends GshiftCommand {
  static override summary = 'Show CPU and memory in use per pod and per app, against their requests and limits, busiest first.';
  static override description = 'The figures come from the metrics API (metrics.k8s.io, served by metrics-server). Where a cluster has none, top says so in one line and exits 0.';
  static override examples = ['<%= config.bin %> top --tenant shop --env prod', '<%= config.bin %> top web -n shop-prod', '<%= config.bin %> top -n shop-dev --sort-by memory -o wide', '<%= config.bin %> top web -n shop-dev --json'];
  static override args = {app: Args.string({description: "Only this app's pods.", required: false})};
  static override flags = {
    'sort-by': Flags.option({description: 'Order: busiest CPU first, busiest memory first, or by name.', options: ['cpu', 'memory', 'name'] as const, default: 'cpu' as const})(),
    output: viewOutputFlag,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(Top);
    const [{withSession}, {readTop}, {topView}] = await Promise.all([import('../core/session.js'), import('../top/read.js'), import('../ui/top-views.js')]);
    const result = await withSession(flags, {}, (session) => readTop(session.cluster, session.target.namespace, {...(args.app ? {app: args.app} : {}), order: flags['sort-by']}));
    await this.present(result, flags.output, {table: () => topView(result), wide: () => topView(result, {wide: true})});
    return result;
  }
}
