import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../base-command.js';
import {clusterFlags, durationFlag, integerFlag, optionalDurationFlag} from '../flags.js';

export default class Logs extends GshiftCommand {
  static override summary = 'Stream the logs of every pod of an app (or a database), each line labelled with its pod.';
  static override description = `Without --follow, shows the last 50 lines of each pod (--tail -1: all of them), merged across pods in time order. With --follow, keeps streaming: pods that start later join, deleted ones leave, restarted containers continue with their new instance, and a dropped connection resumes where it stopped, so no line is shown twice or lost; when lines may be missing, a marker on stderr says which pod and which time window.`;
  static override examples = [
    '<%= config.bin %> logs web -n shop-dev',
    '<%= config.bin %> logs web -f --grep "ERROR|WARN"',
    '<%= config.bin %> logs web --since 10m --json | jq .message',
    '<%= config.bin %> logs --db orders --tail 200',
  ];
  static override args = {app: Args.string({description: 'The app.', required: false})};
  static override flags = {
    ...clusterFlags,
    db: Flags.string({description: 'Show the logs of this database instead of an app.'}),
    follow: Flags.boolean({char: 'f', description: 'Keep streaming new lines; pods that start later join.'}),
    since: optionalDurationFlag({description: 'Only lines newer than this (e.g. 30s, 10m, 2h).', exclusive: ['since-time']}),
    'since-time': Flags.string({description: 'Only lines from this time on (RFC 3339, e.g. 2026-05-01T09:30:00Z).'}),
    tail: integerFlag({description: 'Lines per pod shown before following (default 50 without --since; -1 for all).', example: 50}),
    container: Flags.string({char: 'c', description: 'The container to show (default: the app container).', exclusive: ['all-containers']}),
    'all-containers': Flags.boolean({description: 'Show every container of each pod.'}),
    previous: Flags.boolean({char: 'p', description: 'The log of the previous, ended instance of restarted containers.'}),
    grep: Flags.string({description: 'Only lines matching this regular expression.'}),
    exclude: Flags.string({description: 'Leave out lines matching this regular expression.'}),
    timestamps: Flags.boolean({description: "Show each line's time."}),
    prefix: Flags.boolean({description: 'Label each line with its pod (--no-prefix: the message only).', default: true, allowNo: true}),
    'idle-timeout': durationFlag({description: 'With --follow: reconnect a stream after this long without a line while its container runs (a stuck connection).', env: 'GSHIFT_LOGS_IDLE', defaultText: '2m'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Logs);
    const [{showLogs}, {LogView}, {colours}] = await Promise.all([import('../logs/show.js'), import('../ui/log-view.js'), import('../ui/terminal.js')]);
    const view = new LogView({json: this.jsonEnabled(), timestamps: flags.timestamps, prefix: flags.prefix, chalk: await colours('stdout'), noteChalk: await colours('stderr')});
    const request = {
      app: args.app,
      db: flags.db,
      follow: flags.follow,
      sinceSeconds: flags.since,
      sinceTime: flags['since-time'],
      tail: flags.tail,
      container: flags.container,
      allContainers: flags['all-containers'],
      previous: flags.previous,
      grep: flags.grep,
      exclude: flags.exclude,
    };
    try {
      await showLogs(flags, request, view, {idleMs: flags['idle-timeout']});
    } finally {
      await view.close();
    }
  }

  // Lines are the output, one JSON object each under --json: no result envelope after them.
  protected override toSuccessJson(): unknown {
    return undefined;
  }

  override logJson(json: unknown): void {
    if (json !== undefined) super.logJson(json);
  }
}
