import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {DbWriteCommand} from '../../db-write-command.js';
import {usageError} from '../../errors.js';
import {clusterFlags, integerFlag} from '../../flags.js';

export default class DbBackup extends DbWriteCommand {
  static override summary = "Dump a database to a file, streamed from its pod (pg_dump -Fc, mariadb-dump, redis-cli --rdb), or schedule dumps with --schedule.";
  static override description =
    "The dump runs in the database's own container (exec through the API server, the password from the container's environment) and streams to the file; the result has its size and sha256. With --schedule, a CronJob dumps the database on that schedule onto a volume of backups and keeps the newest --keep (on a CloudNativePG cluster: a ScheduledBackup). gshift db backups lists the schedules and their runs.";
  static override examples = [
    '<%= config.bin %> db backup orders -n shop-dev',
    '<%= config.bin %> db backup orders --to orders.dump -n shop-dev',
    '<%= config.bin %> db backup orders --to - -n shop-dev | gzip > orders.dump.gz',
    '<%= config.bin %> db backup orders --schedule "0 2 * * *" --keep 7 -n shop-prod',
  ];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    to: Flags.string({description: 'The file to write ("-" for stdout; default NAME-<UTC time>.dump|sql|rdb here).'}),
    schedule: Flags.string({description: 'Back up on this cron schedule instead (five fields, e.g. "0 2 * * *"; or @daily).', exclusive: ['to']}),
    keep: integerFlag({description: 'With --schedule: how many dumps to keep (default 7).', min: 1, example: 7}),
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbBackup);
    if (flags.keep !== undefined && flags.schedule === undefined) throw usageError('--keep goes with --schedule: it says how many scheduled dumps to keep.', 'add --schedule "0 2 * * *", or leave out --keep.');
    if (flags.to === '-' && this.jsonEnabled()) throw usageError('--to - writes the dump to stdout, where --json writes its result.', 'pass --to FILE with --json, or leave out --json.');
    const {openSession} = await import('../../core/session.js');
    const session = await openSession(flags, {readNamespace: flags.schedule !== undefined});
    try {
      if (flags.schedule !== undefined) {
        const {scheduleBackups} = await import('../../db/backup.js');
        const result = await scheduleBackups(session, {database: args.name, schedule: flags.schedule, keep: flags.keep ?? 7, tooling: this.tooling()}, this.tracker);
        await this.reportDatabase(session.cluster, result, {wait: false, timeoutMs: 0});
        return result;
      }
      const [{backupDatabase}, {startProgress}, {canAnimate}, {formatBytes}] = await Promise.all([import('../../db/backup.js'), import('../../ui/progress.js'), import('../../ui/terminal.js'), import('../../ui/db-views.js')]);
      // Bytes and rate on a terminal; nothing in logs and pipes, where the result says it all.
      const progress = canAnimate() ? await startProgress(`Dumping ${args.name}…`) : undefined;
      const started = Date.now();
      let shown = 0;
      try {
        const result = await backupDatabase(session.cluster, session.target.namespace, args.name, {
          ...(flags.to ? {to: flags.to} : {}),
          onProgress: (bytes) => {
            if (!progress || Date.now() - shown < 200) return;
            shown = Date.now();
            progress.update(`Dumping ${args.name}: ${formatBytes(bytes)} (${formatBytes(bytes / Math.max((Date.now() - started) / 1000, 0.001))}/s)`);
          },
        });
        progress?.stop();
        const where = result.file === '-' ? 'stdout' : result.file;
        (result.file === '-' ? this.note.bind(this) : this.print.bind(this))(`Backed up database ${result.database} to ${where}: ${formatBytes(result.bytes)} in ${(result.elapsedMs / 1000).toFixed(1)}s, sha256 ${result.sha256}.`);
        return result;
      } catch (error) {
        progress?.stop();
        throw error;
      }
    } finally {
      await session.cluster.close();
    }
  }
}
