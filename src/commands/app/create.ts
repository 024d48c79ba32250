import {Args, Flags} from '@oclif/core';

import {GshiftCommand} from '../../base-command.js';
import {GshiftError} from '../../errors.js';
import {clusterFlags, manifestOutputFlag, platformFlag, timeoutFlag} from '../../flags.js';

export default class AppCreate extends GshiftCommand {
  static override summary = 'Create an application from a stack, with the platform standards built in.';
  static override description =
    'Renders the stack (an OpenShift Template) for the app, environment and platform: a Deployment and Service, a Route on OpenShift or an Ingress on Kubernetes, and in high-availability environments at least 2 replicas, a PodDisruptionBudget, an autoscaler and topology spread. --dry-run prints the manifests without any cluster or kubeconfig.';
  static override examples = [
    '<%= config.bin %> app create demo --stack nodejs --dry-run',
    '<%= config.bin %> app create shop --stack java --env prod --image quay.io/team/shop:1.4 --dry-run -o json',
    '<%= config.bin %> app create orders-db --stack postgresql --storage 10Gi --platform kubernetes --dry-run',
  ];
  static override args = {name: Args.string({description: 'The app name (a DNS label: lower-case letters, digits and "-").', required: true})};
  static override flags = {
    stack: Flags.string({description: 'The stack to build from (see `gshift template list`).', required: true, env: 'GSHIFT_STACK'}),
    image: Flags.string({description: 'Run this image instead of the stack default.'}),
    port: Flags.integer({description: 'The port the app listens on.'}),
    replicas: Flags.integer({description: 'Pods to run (at least 2 in high-availability environments).'}),
    'env-var': Flags.string({description: 'Environment variable KEY=VALUE (repeatable).', multiple: true}),
    param: Flags.string({description: 'Stack template parameter K=V (repeatable).', multiple: true}),
    storage: Flags.string({description: 'Persistent storage size, e.g. 1Gi.'}),
    host: Flags.string({description: 'Host name for the Route or Ingress.'}),
    'dry-run': Flags.option({description: 'Print the manifests (client: no cluster) or have the server validate them (server).', options: ['none', 'client', 'server'] as const})(),
    wait: Flags.boolean({description: 'Wait for the rollout to finish.', default: true, allowNo: true}),
    timeout: timeoutFlag,
    output: manifestOutputFlag,
    platform: platformFlag,
    ...clusterFlags,
  };

  async run() {
    // A bare --dry-run means client, as kubectl's did.
    const {args, flags} = await this.parse(AppCreate, this.argv.map((arg) => (arg === '--dry-run' ? '--dry-run=client' : arg)));
    if (flags['dry-run'] !== 'client') {
      throw new GshiftError('USAGE', 'Creating apps on a cluster is not built yet; only --dry-run rendering is.', {hint: 'add --dry-run to print the manifests.'});
    }
    const [{loadConfig}, {appRenderInput}, {renderAppDetailed}, {formatManifests}] = await Promise.all([
      import('../../config/load.js'),
      import('../../app/inputs.js'),
      import('../../render/compose.js'),
      import('../../render/manifest.js'),
    ]);
    const {values} = await loadConfig();
    const input = appRenderInput({...flags, name: args.name, envVar: flags['env-var']}, values);
    const rendered = await renderAppDetailed(input);
    for (const warning of rendered.warnings) this.warnUser(warning);
    this.print((await formatManifests(rendered.objects, flags.output)).trimEnd());
    return {dryRun: 'client', platform: input.platform, env: input.env, list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: rendered.objects}};
  }
}
