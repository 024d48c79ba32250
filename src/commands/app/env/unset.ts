import * as Args from '@oclif/core/args';

import {AppWriteCommand, waitFlags} from '../../../app-write-command.js';
import {clusterFlags} from '../../../flags.js';

export default class AppEnvUnset extends AppWriteCommand {
  static override summary = 'Remove environment variables (plain or secret) from an app and roll its pods.';
  static override examples = ['<%= config.bin %> app env unset web LOG_LEVEL FEATURE_X --tenant shop --env dev'];
  static override strict = false;
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {...waitFlags, ...clusterFlags};

  async run() {
    const {args, argv, flags} = await this.parse(AppEnvUnset);
    const [{openSession}, {updateEnv}] = await Promise.all([import('../../../core/session.js'), import('../../../app/env-update.js')]);
    const keys = (argv as string[]).slice(1);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await updateEnv(session, args.name, {unset: keys}, {tooling: this.tooling(), tracker: this.tracker});
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        done: `Removed ${result.changedKeys.join(', ')} from ${result.app} in ${result.namespace}.`,
        unchanged: `No changes: ${args.name} has none of ${keys.join(', ')}.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
