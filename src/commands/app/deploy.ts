import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class AppDeploy extends AppWriteCommand {
  static override summary = 'Deploy another image of an app, keeping its configuration, and wait for the rollout.';
  static override examples = ['<%= config.bin %> app deploy web --image quay.io/shop/web:1.5 --tenant shop --env dev', '<%= config.bin %> app deploy web --image quay.io/shop/web@sha256:… -n shop-test --no-wait'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {
    image: Flags.string({description: 'The image to run (a tag or a digest).', required: true}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(AppDeploy);
    const [{openSession}, {deployImage}] = await Promise.all([import('../../core/session.js'), import('../../app/deploy.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await deployImage(session, args.name, flags.image, {tooling: this.tooling(), tracker: this.tracker});
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait,
        timeoutMs: flags.timeout,
        done: `Deploying ${result.image} to ${result.app} in ${result.namespace}${result.previousImage ? ` (was ${result.previousImage})` : ''}.`,
        unchanged: `No changes: ${result.app} already runs ${result.image}.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
