import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class DbDetach extends AppWriteCommand {
  static override summary = "Take a database's variables off an app (undoes db attach) and wait for the app's rollout.";
  static override examples = ['<%= config.bin %> db detach orders --app web -n shop-dev'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    app: Flags.string({description: 'The app to detach the database from.', required: true}),
    prefix: Flags.string({description: 'Only the binding with this prefix (default: every binding of this database).'}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbDetach);
    const [{openSession}, {detachDatabase}] = await Promise.all([import('../../core/session.js'), import('../../db/attach.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await detachDatabase(session, {database: args.name, app: flags.app, tooling: this.tooling(), ...(flags.prefix ? {prefix: flags.prefix} : {})}, this.tracker);
      const rollout = await this.report(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, done: `Detached database ${result.database} from app ${result.app}.`});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
