import * as Args from '@oclif/core/args';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags, integerFlag} from '../../flags.js';

export default class AppRollback extends AppWriteCommand {
  static override summary = "Roll an app back to an earlier revision of its Deployment's history and wait for the rollout.";
  static override description = 'Without --to-revision, goes back to the revision before the current one (as kubectl rollout undo does). `gshift app status` shows the current revision.';
  static override examples = ['<%= config.bin %> app rollback web --tenant shop --env prod', '<%= config.bin %> app rollback web --to-revision 3 -n shop-prod'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {
    'to-revision': integerFlag({description: 'The revision to return to (default: the one before the current).', min: 1}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(AppRollback);
    const [{openSession}, {rollbackApp}] = await Promise.all([import('../../core/session.js'), import('../../app/rollback.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await rollbackApp(session, args.name, {toRevision: flags['to-revision'], tooling: this.tooling(), tracker: this.tracker});
      const done = `Rolled back ${result.app} to revision ${result.toRevision} (image ${result.image}).`;
      const rollout = await this.report(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, done, unchanged: done});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
