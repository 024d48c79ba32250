import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../../app-write-command.js';
import {clusterFlags} from '../../../flags.js';

export default class AppEnvSet extends AppWriteCommand {
  static override summary = 'Set environment variables of an app (plain in a ConfigMap, --secret in a Secret) and roll its pods.';
  static override examples = ['<%= config.bin %> app env set web LOG_LEVEL=debug FEATURE_X=on --tenant shop --env dev', '<%= config.bin %> app env set web DB_PASSWORD=s3cret --secret -n shop-dev'];
  static override strict = false;
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {secret: Flags.boolean({description: 'Keep the values in a Secret; they are never printed.', default: false}), ...waitFlags, ...clusterFlags};

  async run() {
    const {args, argv, flags} = await this.parse(AppEnvSet);
    const [{openSession}, {parseAssignments}, {updateEnv}] = await Promise.all([import('../../../core/session.js'), import('../../../app/env.js'), import('../../../app/env-update.js')]);
    const values = parseAssignments((argv as string[]).slice(1));
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await updateEnv(session, args.name, {set: values, secret: flags.secret}, {tooling: this.tooling(), tracker: this.tracker});
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        done: `Set ${result.changedKeys.join(', ')}${flags.secret ? ' (secret)' : ''} on ${result.app} in ${result.namespace}.`,
        unchanged: `No changes: ${Object.keys(values).join(', ')} already has that value on ${args.name}.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
