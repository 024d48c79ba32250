import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand} from '../../app-write-command.js';
import {clusterFlags, yesFlag} from '../../flags.js';

export default class AppDelete extends AppWriteCommand {
  static override summary = 'Remove every object gshift created for an app, and nothing else; volume claims stay unless --purge-data.';
  static override examples = ['<%= config.bin %> app delete web --tenant shop --env dev', '<%= config.bin %> app delete web -n shop-dev --purge-data --yes'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {
    'purge-data': Flags.boolean({description: 'Also delete the persistent volume claims (their data is lost).', default: false}),
    yes: yesFlag,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(AppDelete);
    const [{openSession}, {planDelete, deleteApp}, {confirmDestructive}] = await Promise.all([
      import('../../core/session.js'),
      import('../../app/delete.js'),
      import('../../ui/prompt.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const plan = await planDelete(session.cluster, session.target.namespace, args.name, {purgeData: flags['purge-data']});
      if (!plan.exists) {
        this.print(`No changes: there is no app ${args.name} in ${plan.namespace}.`);
        return {...plan, deleted: []};
      }
      const names = plan.remove.map((ref) => `${ref.kind}/${ref.name}`).join(', ');
      const confirmed = await confirmDestructive({message: `Delete app ${args.name} from ${plan.namespace} (${names})${flags['purge-data'] ? ' and its data' : ''}?`, yes: flags.yes});
      if (!confirmed) {
        this.print('Nothing deleted.');
        return {...plan, deleted: []};
      }
      const deleted = await deleteApp(session.cluster, plan, this.tracker);
      this.print(`Deleted app ${args.name} from ${plan.namespace}: ${deleted.map((ref) => `${ref.kind}/${ref.name}`).join(', ')}.`);
      if (plan.keep.length > 0) this.print(`Kept ${plan.keep.map((ref) => `${ref.kind}/${ref.name}`).join(', ')} (data); --purge-data removes them.`);
      return {...plan, deleted};
    } finally {
      await session.cluster.close();
    }
  }
}
