import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {DbWriteCommand} from '../../db-write-command.js';
import {clusterFlags, yesFlag} from '../../flags.js';

export default class DbDelete extends DbWriteCommand {
  static override summary = 'Delete a database; its volume claim and credentials stay unless --purge-data.';
  static override description =
    'Removes what gshift created for the database (StatefulSet, Services, NetworkPolicy, backup schedule, parent). The data claim, the backups claim and the credentials Secret stay, so gshift db create with the same name goes on with the same data and password; --purge-data deletes them too. Refused while apps are attached, unless --force, which detaches them first. Asks first (--yes in scripts).';
  static override examples = ['<%= config.bin %> db delete orders -n shop-dev', '<%= config.bin %> db delete orders --purge-data --yes -n shop-dev', '<%= config.bin %> db delete orders --force --yes -n shop-dev'];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    'purge-data': Flags.boolean({description: 'Also delete the volume claims and the credentials (the data is lost).', default: false}),
    force: Flags.boolean({description: 'Detach the apps attached to the database first (they lose its variables).', default: false}),
    yes: yesFlag,
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbDelete);
    const [{openSession}, {planDbDelete, deleteDatabase}, {confirmDestructive}] = await Promise.all([import('../../core/session.js'), import('../../db/delete.js'), import('../../ui/prompt.js')]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const namespace = session.target.namespace;
      const purge = flags['purge-data'];
      const plan = await planDbDelete(session.cluster, namespace, args.name, {purgeData: purge, force: flags.force});
      if (!plan.exists) {
        this.print(`No changes: there is no database ${args.name} in ${namespace}.`);
        return {...plan, deleted: []};
      }
      const names = (refs: typeof plan.remove) => refs.map((ref) => `${ref.kind}/${ref.name}`).join(', ');
      const apps = plan.attached.map((entry) => entry.app);
      const message = `Delete database ${args.name} from ${namespace}${purge ? ' with its data and credentials' : ''}${apps.length > 0 ? `, detaching ${apps.join(', ')}` : ''}?`;
      if (!(await confirmDestructive({message, yes: flags.yes}))) {
        this.print('Nothing deleted.');
        return {...plan, deleted: []};
      }
      if (apps.length > 0) {
        const {detachDatabase} = await import('../../db/attach.js');
        for (const app of new Set(apps)) {
          const result = await detachDatabase(session, {database: args.name, app, tooling: this.tooling()}, this.tracker);
          await this.report(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, done: `Detached database ${args.name} from app ${app}.`});
        }
      }
      const deleted = await deleteDatabase(session.cluster, plan, this.tracker);
      this.print(`Deleted database ${args.name} from ${namespace}: ${names(deleted)}.`);
      if (plan.keep.length > 0) this.print(`Kept ${names(plan.keep)}: gshift db create ${args.name} goes on with them; --purge-data deletes them.`);
      return {...plan, deleted};
    } finally {
      await session.cluster.close();
    }
  }
}
