import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand, waitFlags} from '../../app-write-command.js';
import type {EffectiveConfig} from '../../config/load.js';
import {clusterFlags, bareDryRunAsClient, dryRunFlag, forceConflictsFlag, integerFlag, manifestOutputFlag, platformFlag, refuseOutputWithoutDryRun} from '../../flags.js';

export default class AppCreate extends AppWriteCommand {
  static override summary = 'Create an application from a stack, with the platform standards built in, and wait until it runs.';
  static override description =
    'Renders the stack (an OpenShift Template) for the app, environment and platform: a Deployment and Service, a Route on OpenShift or an Ingress on Kubernetes, and in high-availability environments at least 2 replicas, a PodDisruptionBudget, an autoscaler and topology spread. Applies it with server-side apply as an ApplySet (so a later create updates in place and prunes what the stack no longer renders), then follows the rollout and says why it fails when it does. Running it again with the same inputs changes nothing; an image or environment left out keeps the current one (see app deploy and app env). --dry-run prints the manifests without any cluster or kubeconfig; --dry-run=server has the cluster validate and admit them without saving.';
  static override examples = [
    '<%= config.bin %> app create web --stack nodejs --tenant shop --env dev',
    '<%= config.bin %> app create shop --stack java --env prod --image quay.io/team/shop:1.4 --env-var LOG_LEVEL=info',
    '<%= config.bin %> app create demo --stack nodejs --dry-run',
    '<%= config.bin %> app create uploads --stack python --storage 10Gi --dry-run=server -n shop-dev',
  ];
  static override args = {name: Args.string({description: 'The app name (a DNS label: lower-case letters, digits and "-").', required: true})};
  static override flags = {
    stack: Flags.string({description: 'The app stack to build from (see `gshift template list`; databases come from `gshift db create`); asked for on a terminal when left out.', env: 'GSHIFT_STACK'}),
    image: Flags.string({description: 'Run this image instead of the stack default.'}),
    port: integerFlag({description: 'The port the app listens on.', min: 1, example: 8080}),
    replicas: integerFlag({description: 'Pods to run (at least 2 in high-availability environments).', min: 0, example: 2}),
    'env-var': Flags.string({description: 'Environment variable KEY=VALUE (repeatable).', multiple: true}),
    param: Flags.string({description: 'Stack template parameter K=V (repeatable).', multiple: true}),
    storage: Flags.string({description: 'Persistent storage size, e.g. 1Gi.'}),
    host: Flags.string({description: 'Host name for the Route or Ingress.'}),
    'dry-run': dryRunFlag,
    reveal: Flags.boolean({description: 'With --dry-run, print the values of Secrets (generated passwords) instead of ••••.', default: false}),
    'force-conflicts': forceConflictsFlag,
    ...waitFlags,
    output: manifestOutputFlag,
    platform: platformFlag,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(AppCreate, bareDryRunAsClient(this.argv));
    refuseOutputWithoutDryRun(flags['dry-run'], this.argv);
    const {letConnectionProceed, loadSessionConfig, openSession} = await import('../../core/session.js');
    const requestFor = (stack: string) => ({...flags, stack, name: args.name, envVar: flags['env-var']});
    // A stack left out is asked for before anything connects: a prompt holds no connection open.
    const asked = flags.stack === undefined || flags['dry-run'] === 'client' ? await this.askForStack(flags.stack, await loadSessionConfig()) : undefined;
    if (flags['dry-run'] === 'client') {
      const {config, stack} = asked!;
      const request = requestFor(stack);
      // Databases have one code path: a db stack is refused with the `gshift db create` command that does it.
      const [{refuseDatabaseStack}, {renderManifests}, {formatManifests}] = await Promise.all([import('../../app/database-stack.js'), import('../../app/create.js'), import('../../render/manifest.js')]);
      await refuseDatabaseStack(request, config.values.templateDirs);
      const rendered = await renderManifests(request, {config, reveal: flags.reveal});
      for (const warning of rendered.warnings) this.warnUser(warning);
      this.noteMasked(rendered.masked);
      this.print((await formatManifests(rendered.objects, flags.output)).trimEnd());
      return {dryRun: 'client', platform: rendered.input.platform, env: rendered.input.env, list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: rendered.objects}};
    }
    const request = requestFor(asked?.stack ?? flags.stack!);
    const {parentRef} = await import('../../app/applyset.js');
    let create!: typeof import('../../app/create.js');
    const session = await openSession(flags, {
      ...(asked ? {config: asked.config} : {}),
      // Loaded and checked while the session connects.
      validate: async (config) => {
        create = await import('../../app/create.js');
        await letConnectionProceed();
        await create.checkCreateInput(request, config);
      },
      readNamespace: true,
      // The app's record (its ApplySet parent): what the create reads first.
      readAhead: (namespace) => [parentRef(args.name, namespace)],
    });
    const {createApp} = create;
    if (flags.wait && flags['dry-run'] !== 'server') this.prepareToFollow();
    try {
      const result = await createApp(session, {flags: request, serverDryRun: flags['dry-run'] === 'server', forceConflicts: flags['force-conflicts'], tooling: this.tooling()}, this.tracker);
      const rollout = await this.report(session.cluster, result, {
        wait: flags.wait && !result.dryRun,
        timeoutMs: flags.timeout,
        done: result.dryRun ? 'Nothing was saved (server dry run).' : `${result.created ? 'Created' : 'Updated'} app ${result.app} in ${result.namespace}.`,
        unchanged: `No changes: app ${result.app} is up to date${result.dryRun ? ' (server dry run)' : ''}.`,
      });
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }

  private async askForStack(stack: string | undefined, config: EffectiveConfig): Promise<{config: EffectiveConfig; stack: string}> {
    const {stackOrAsk} = await import('../../ui/choose-stack.js');
    return {config, stack: await stackOrAsk(stack, config.values.templateDirs)};
  }
}
