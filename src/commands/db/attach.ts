import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class DbAttach extends AppWriteCommand {
  static override summary = "Give an app a database's connection settings as environment variables that reference its Secret, and wait for the app's rollout.";
  static override description =
    'Adds PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD, PREFIX_NAME (SQL engines) from the database\'s Secret (secretKeyRef) and PREFIX_URL built from them by Kubernetes ($(VAR) expansion): no password is ever written into the Deployment. The binding is recorded with the app, so app deploy, app env set and promote keep it.';
  static override examples = ['<%= config.bin %> db attach orders --app web -n shop-dev', '<%= config.bin %> db attach cache --app web --prefix CACHE -n shop-dev'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    app: Flags.string({description: 'The app to attach the database to.', required: true}),
    prefix: Flags.string({description: 'The variables\' prefix: PREFIX_HOST, PREFIX_URL, ….', default: 'DATABASE'}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbAttach);
    const [{openSession}, {attachDatabase}] = await Promise.all([import('../../core/session.js'), import('../../db/attach.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await attachDatabase(session, {database: args.name, app: flags.app, prefix: flags.prefix, tooling: this.tooling()}, this.tracker);
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        done: `Attached database ${result.database} to app ${result.app} as ${result.variables.join(', ')}.`,
        unchanged: `No changes: app ${result.app} already has database ${result.database} as ${result.prefix}_*.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
