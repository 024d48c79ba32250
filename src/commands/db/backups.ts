import * as Args from '@oclif/core/args';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class DbBackups extends GshiftCommand {
  static override summary = "List a database's scheduled backups (gshift db backup --schedule) and their recent runs.";
  static override examples = ['<%= config.bin %> db backups orders -n shop-prod', '<%= config.bin %> db backups orders --json'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(DbBackups);
    const [{openSession}, {listBackupSchedules}, {dbBackupsView}] = await Promise.all([import('../../core/session.js'), import('../../db/schedule.js'), import('../../ui/db-views.js')]);
    const session = await openSession(flags);
    try {
      const backups = await listBackupSchedules(session.cluster, session.target.namespace, args.name);
      await this.present(backups, flags.output, {table: () => dbBackupsView(backups)});
      return backups;
    } finally {
      await session.cluster.close();
    }
  }
}
