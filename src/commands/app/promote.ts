import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class AppPromote extends AppWriteCommand {
  static override summary = 'Promote the exact image digest an environment runs to the next one, keeping that environment’s configuration.';
  static override description = 'Reads the digest from the running pods of the source (not the tag, which may have moved since), deploys repository@digest to the target app with the target’s own inputs, and waits. Refuses when the source is not healthy, unless --force.';
  static override examples = ['<%= config.bin %> app promote web --from dev --to test --tenant shop'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {
    from: Flags.string({description: 'The environment to take the image from.', required: true}),
    to: Flags.string({description: 'The environment to deploy it to.', required: true}),
    force: Flags.boolean({description: 'Promote even when the source is not healthy.', default: false}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(AppPromote);
    const [{openSession}, {promoteApp}] = await Promise.all([import('../../core/session.js'), import('../../app/promote.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await promoteApp(session, args.name, {from: flags.from, to: flags.to, force: flags.force, tooling: this.tooling(), tracker: this.tracker});
      if (result.forced) this.warnUser(`${result.app} in ${result.from.env} is not healthy; promoting anyway (--force).`);
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        done: `Promoting ${result.app} from ${result.from.env} to ${result.to.env}: ${result.image}.`,
        unchanged: `No changes: ${result.app} in ${result.to.env} already runs ${result.image}.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
