import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class DbList extends GshiftCommand {
  static override summary = 'List the databases in a namespace: engine, version, volume size and phase, ready, attached apps.';
  static override examples = ['<%= config.bin %> db list --tenant shop --env dev', '<%= config.bin %> db list -n shop-dev --json'];
  static override flags = {output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {flags} = await this.parse(DbList);
    const [{openSession}, {listDatabases}, {dbListView}] = await Promise.all([import('../../core/session.js'), import('../../db/status.js'), import('../../ui/db-views.js')]);
    const session = await openSession(flags);
    try {
      const databases = await listDatabases(session.cluster, session.target.namespace);
      const result = {namespace: session.target.namespace, databases};
      await this.present(result, flags.output, {table: () => dbListView(databases, session.target.namespace)});
      return result;
    } finally {
      await session.cluster.close();
    }
  }
}
