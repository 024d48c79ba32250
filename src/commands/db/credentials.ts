import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags} from '../../flags.js';

export default class DbCredentials extends GshiftCommand {
  static override summary = "Show a database's credentials: host, port, user and database name; the password and URIs masked unless --reveal.";
  static override examples = ['<%= config.bin %> db credentials orders -n shop-dev', '<%= config.bin %> db credentials orders --reveal --json | jq -r .result.values.uri'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    reveal: Flags.boolean({description: 'Show the password and the URIs (keep the output out of logs).', default: false}),
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbCredentials);
    const [{openSession}, {readCredentials}, {dbCredentialsView}] = await Promise.all([import('../../core/session.js'), import('../../db/status.js'), import('../../ui/db-views.js')]);
    const session = await openSession(flags);
    try {
      const credentials = await readCredentials(session.cluster, session.target.namespace, args.name, flags.reveal);
      this.print(dbCredentialsView(credentials));
      return credentials;
    } finally {
      await session.cluster.close();
    }
  }
}
