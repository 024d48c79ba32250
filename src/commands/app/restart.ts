import * as Args from '@oclif/core/args';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class AppRestart extends AppWriteCommand {
  static override summary = "Replace an app's pods one by one (as kubectl rollout restart does) and wait for the rollout.";
  static override examples = ['<%= config.bin %> app restart web --tenant shop --env dev'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {...waitFlags, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(AppRestart);
    const [{openSession}, {restartApp}] = await Promise.all([import('../../core/session.js'), import('../../app/deploy.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await restartApp(session, args.name);
      const rollout = await this.report(session.cluster, {...result, changed: true}, {wait: flags.wait, timeoutMs: flags.timeout, done: `Restarting ${result.app} in ${result.namespace}.`});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
