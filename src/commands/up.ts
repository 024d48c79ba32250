import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../base-command.js';
import {GshiftError} from '../errors.js';
import {bareDryRunAsClient, clusterFlags, dryRunFlag, durationFlag, yesFlag} from '../flags.js';
import {fileFlag, upEnvFlag} from '../up-flags.js';

export default class Up extends GshiftCommand {
  static override summary = 'Make the cluster hold what gshift.yaml declares: the tenant, its environments, databases, certificates and apps.';
  static override description =
    'Checks the whole file first and reports every problem at once (file:line:column). Then converges, through the same services as tenant create, db create, cert add/issue and app create (with gshift scale\'s autoscaler settings): each environment\'s namespace first, a database and a certificate before the apps that use them, environments and the apps within one at the same time, every rollout followed in one view. A failed step stops only what depends on it. Ends with what was created, updated, unchanged and pruned per environment, the URLs, and how to get the CI account\'s kubeconfig. Running it again right away changes nothing and writes nothing. --prune removes the apps, databases and certificates gshift created earlier that the file no longer declares (volumes and credentials kept unless --purge-data). --dry-run prints the plan without a cluster; --dry-run=server has the cluster check every change without saving it.';
  static override examples = [
    '<%= config.bin %> up',
    '<%= config.bin %> up -f deploy/gshift.yaml --env dev --env test',
    '<%= config.bin %> up --dry-run=server',
    '<%= config.bin %> up --prune --yes',
  ];
  static override flags = {
    file: fileFlag,
    env: upEnvFlag,
    'dry-run': dryRunFlag,
    prune: Flags.boolean({description: 'Remove the apps, databases and certificates gshift created for this tenant that the file no longer declares (asks on a terminal; --yes otherwise).', default: false}),
    'purge-data': Flags.boolean({description: 'With --prune, remove their volumes and database credentials too.', default: false, dependsOn: ['prune']}),
    wait: Flags.boolean({description: 'Wait for every rollout (--no-wait returns once everything is applied).', default: true, allowNo: true, env: 'GSHIFT_WAIT'}),
    timeout: durationFlag({description: 'How long to wait for all rollouts together (e.g. 10m).', env: 'GSHIFT_TIMEOUT', defaultText: '10m'}),
    yes: yesFlag,
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
  };

  async run() {
    const {flags} = await this.parse(Up, bareDryRunAsClient(this.argv));
    if (flags['dry-run'] === 'client') {
      const [{readCheckedFile, planFor}, {planView}] = await Promise.all([import('../up/up.js'), import('../ui/up-views.js')]);
      const plan = await planFor(await readCheckedFile(flags.file), flags.env);
      this.print(planView(plan));
      return {dryRun: 'client', tenant: plan.tenant, steps: plan.steps};
    }
    const [{up, failureOf}, {summarize}, {startUpProgress}, {upSummaryView}] = await Promise.all([import('../up/up.js'), import('../up/summary.js'), import('../ui/up-progress.js'), import('../ui/up-views.js')]);
    const progress = await startUpProgress({json: this.jsonEnabled()});
    const done: string[] = [];
    this.interruptedSummary = () => (done.length > 0 ? `${done.length} step${done.length === 1 ? '' : 's'} finished (${done.slice(0, 5).join(', ')}${done.length > 5 ? ', …' : ''})` : undefined);
    let result;
    try {
      result = await up(
        {file: flags.file, envs: flags.env, dryRun: flags['dry-run'] === 'server', prune: flags.prune, purgeData: flags['purge-data'], wait: flags.wait, timeoutMs: flags.timeout, tooling: `gshift/v${this.config.version}`, cluster: flags},
        {
          planned: (plan) => progress.planned(plan),
          phase: (step, text) => progress.phase(step, text),
          rollout: (step, update) => progress.rollout(step, update),
          finished: (outcome) => {
            if (outcome.status === 'done') done.push(outcome.step.id);
            progress.finished(outcome);
          },
          note: (text) => progress.note(text),
          warn: (text) => this.warnUser(text),
          confirmPrune: async (candidates) => {
            const {confirmDestructive} = await import('../ui/prompt.js');
            const listed = candidates.map((candidate) => `${candidate.env}/${candidate.kind}/${candidate.name}`).join(', ');
            return confirmDestructive({message: `Remove ${listed}, which the file no longer declares${flags['purge-data'] ? ', with their data' : ' (their data is kept)'}?`, yes: flags.yes});
          },
        },
      );
    } finally {
      progress.stop();
    }
    await this.explainFailures(result);
    const summary = summarize(result);
    for (const step of summary.environments.flatMap((environment) => environment.steps)) for (const warning of step.warnings ?? []) this.warnUser(`${step.id}: ${warning}`);
    this.print(upSummaryView(summary));
    const failure = failureOf(result);
    if (failure) throw new GshiftError(failure.code, failure.sentence, {hint: failure.hint, details: {...failure.details, result: summary}});
    return summary;
  }

  /** For each failed rollout, the evidence as app create shows it: events and the failing container's last lines. */
  private async explainFailures(result: Awaited<ReturnType<typeof import('../up/up.js').up>>): Promise<void> {
    if (this.jsonEnabled()) return;
    const {renderDiagnosis} = await import('../ui/rollout-view.js');
    for (const outcome of result.outcomes) {
      const error = outcome.error as {code?: string; details?: Parameters<typeof renderDiagnosis>[0]} | undefined;
      if (outcome.status !== 'failed' || error?.code !== 'ROLLOUT_FAILED' || !error.details) continue;
      const text = await renderDiagnosis(error.details);
      if (text) this.note(`${outcome.step.id}:\n${text}\n`);
    }
  }
}
