import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../app-write-command.js';
import {clusterFlags, integerFlag, viewOutputFlag} from '../flags.js';

export default class Scale extends AppWriteCommand {
  static override summary = "Set an app's replicas or its autoscaler, and wait for it; without flags, show how it scales and why.";
  static override description =
    'A fixed count goes through the scale subresource and is kept with the app, so app deploy and env set keep it. Where an autoscaler owns the count, --replicas is refused: change its bounds (--min/--max) or remove it (--manual). A scale-up the tenant quota would refuse is refused at once (exit 15).';
  static override examples = [
    '<%= config.bin %> scale web --replicas 3 -n shop-dev',
    '<%= config.bin %> scale web --min 2 --max 10 --cpu 70 -n shop-prod',
    '<%= config.bin %> scale web --manual --replicas 4 -n shop-prod',
    '<%= config.bin %> scale web -n shop-prod          # replicas, autoscaler, why it is (not) scaling, events',
  ];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {
    replicas: integerFlag({description: 'Run exactly this many pods (with --manual: the count to pin).', min: 0, example: 3}),
    min: integerFlag({description: "The autoscaler's minimum replicas.", min: 1, example: 2}),
    max: integerFlag({description: "The autoscaler's maximum replicas.", min: 1, example: 10}),
    cpu: integerFlag({description: 'Autoscale to keep average CPU at this % of the pods\' CPU request (1-100).', min: 1, max: 100, example: 70}),
    memory: integerFlag({description: 'Autoscale to keep average memory at this % of the pods\' memory request (1-100).', min: 1, max: 100, example: 80}),
    manual: Flags.boolean({description: 'Remove the autoscaler and pin the count (at --replicas, else where it is now).'}),
    output: viewOutputFlag,
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(Scale);
    const [{scaleChange}, {openSession}] = await Promise.all([import('../scale/request.js'), import('../core/session.js')]);
    // Bad input is refused before any connection.
    const change = scaleChange(flags);
    const session = await openSession(flags, {readNamespace: true});
    try {
      if (change.kind === 'show') {
        const [{scaleStatus}, {scaleStatusView}] = await Promise.all([import('../scale/status.js'), import('../ui/scale-views.js')]);
        const status = await scaleStatus(session, args.name);
        await this.present(status, flags.output, {table: () => scaleStatusView(status)});
        return status;
      }
      const [{scaleApp}, {scaleDoneLine}, {quotaFromRollout}] = await Promise.all([import('../scale/change.js'), import('../ui/scale-views.js'), import('../scale/quota-check.js')]);
      const result = await scaleApp(session, args.name, change, {tooling: this.tooling(), tracker: this.tracker});
      const {done, unchanged} = scaleDoneLine(result);
      try {
        const rollout = await this.report(session.cluster, {...result, outcomes: result.outcomes.filter((outcome) => outcome.action !== 'unchanged')}, {wait: flags.wait, timeoutMs: flags.timeout, done, unchanged});
        return {...result, ...(rollout ? {rollout} : {})};
      } catch (error) {
        const replicas = result.after.replicas ?? result.after.autoscale?.min ?? result.before.replicas;
        throw quotaFromRollout(error, {app: result.app, namespace: result.namespace, replicas, current: result.before.replicas, tenant: session.target.tenant}) ?? error;
      }
    } finally {
      await session.cluster.close();
    }
  }
}
