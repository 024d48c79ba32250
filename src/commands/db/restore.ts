import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {DbWriteCommand} from '../../db-write-command.js';
import {clusterFlags, yesFlag} from '../../flags.js';

export default class DbRestore extends DbWriteCommand {
  static override summary = 'Restore a dump that gshift db backup wrote into the database, or with --into into a new one.';
  static override description =
    "The dump goes through a port-forward to the database's pod, into the engine's own client on this machine: pg_restore (the dump's objects replace those of the same name, in one transaction), the mariadb/mysql client, or redis-cli --pipe (each key of the snapshot restored with RESTORE … REPLACE). A file that is not a dump of the database's engine is refused. Restoring in place asks first (--yes in scripts); --into creates a new database with the same engine, version and size, restores into it, and offers to move the attached apps to it.";
  static override examples = [
    '<%= config.bin %> db restore orders --from orders-20261204T020000Z.dump -n shop-dev',
    '<%= config.bin %> db restore orders --from orders.dump --into orders-copy -n shop-dev',
  ];
  static override args = {name: Args.string({description: 'The database the dump was taken from (and, without --into, restored into).', required: true})};
  static override flags = {
    from: Flags.string({description: 'The dump file.', required: true}),
    into: Flags.string({description: 'Create this new database and restore into it instead.'}),
    yes: yesFlag,
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbRestore);
    const [{openSession}, {planRestore, runRestore}, {confirmDestructive}, {formatBytes}] = await Promise.all([
      import('../../core/session.js'),
      import('../../db/restore.js'),
      import('../../ui/prompt.js'),
      import('../../ui/db-views.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const namespace = session.target.namespace;
      const plan = await planRestore(session.cluster, namespace, {database: args.name, from: flags.from, ...(flags.into ? {into: flags.into} : {})});
      if (!plan.into) {
        const confirmed = await confirmDestructive({message: `Restore ${plan.file} (${formatBytes(plan.bytes)}) into database ${args.name} in ${namespace}, replacing what the dump holds?`, yes: flags.yes});
        if (!confirmed) {
          this.print('Nothing restored.');
          return {database: args.name, namespace, restored: false};
        }
      }
      let created;
      if (plan.into) {
        const {createDatabase} = await import('../../db/create.js');
        const inputs = plan.source.inputs;
        created = await createDatabase(
          session,
          {flags: {name: plan.into, engine: plan.engine.name, namespace, ...(inputs?.version ? {version: inputs.version} : {}), ...(inputs?.size ? {size: inputs.size} : {}), ...(inputs?.storageClass ? {storageClass: inputs.storageClass} : {}), ...(inputs?.ha ? {ha: true} : {})}, tooling: this.tooling()},
          this.tracker,
        );
        // The new database must be up before anything can be restored into it.
        await this.reportDatabase(session.cluster, created, {wait: true, timeoutMs: flags.timeout});
      }
      const result = await runRestore(session.cluster, plan, plan.into ?? args.name);
      this.print(`Restored ${plan.file} (${formatBytes(plan.bytes)}${result.keys !== undefined ? `, ${result.keys} keys` : ''}) into database ${result.database} in ${(result.elapsedMs / 1000).toFixed(1)}s.`);
      const moved = plan.into ? await this.offerReattach(session, plan.source, plan.into, flags) : [];
      return {...result, restored: true, ...(created ? {created: {database: created.database, changed: created.changed}} : {}), ...(plan.into ? {reattached: moved} : {})};
    } finally {
      await session.cluster.close();
    }
  }

  /** The apps of the old database, moved to the new one when the user says so on a terminal; the commands to do it otherwise. */
  private async offerReattach(session: import('../../core/session.js').Session, source: import('../../db/inventory.js').DbRecord, into: string, flags: {wait: boolean; timeout: number}): Promise<string[]> {
    if (source.attached.length === 0) return [];
    const [{isInteractive}, {attachDatabase, detachDatabase}] = await Promise.all([import('../../ui/terminal.js'), import('../../db/attach.js')]);
    const apps = source.attached.map((entry) => entry.app);
    const commands = source.attached.map((entry) => `gshift db detach ${source.name} --app ${entry.app} --prefix ${entry.prefix} && gshift db attach ${into} --app ${entry.app} --prefix ${entry.prefix}`);
    if (!isInteractive() || this.jsonEnabled()) {
      this.note(`Apps attached to ${source.name}: ${apps.join(', ')}. To move them to ${into}:\n  ${commands.join('\n  ')}`);
      return [];
    }
    const {confirm} = await import('@inquirer/prompts');
    if (!(await confirm({message: `Attach ${into} to ${apps.join(', ')} in place of ${source.name}?`, default: false}))) return [];
    for (const entry of source.attached) {
      await detachDatabase(session, {database: source.name, app: entry.app, prefix: entry.prefix, tooling: this.tooling()}, this.tracker);
      const result = await attachDatabase(session, {database: into, app: entry.app, prefix: entry.prefix, tooling: this.tooling()}, this.tracker);
      await this.report(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, done: `Attached database ${into} to app ${entry.app} as ${entry.prefix}_*.`});
    }
    return apps;
  }
}
