import * as Args from '@oclif/core/args';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class DbInfo extends GshiftCommand {
  static override summary = 'Show a database: engine, version, address, volume (size, class, bound or not), ready or not, attached apps.';
  static override examples = ['<%= config.bin %> db info orders -n shop-dev', '<%= config.bin %> db info orders --json'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(DbInfo);
    const [{openSession}, {databaseInfo}, {dbInfoView}] = await Promise.all([import('../../core/session.js'), import('../../db/status.js'), import('../../ui/db-views.js')]);
    const session = await openSession(flags);
    try {
      const info = await databaseInfo(session.cluster, session.target.namespace, args.name);
      await this.present(info, flags.output, {table: () => dbInfoView(info)});
      return info;
    } finally {
      await session.cluster.close();
    }
  }
}
