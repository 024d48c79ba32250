import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {durationFlag} from '../../flags.js';
import {tenantClusterFlags} from '../../tenant-flags.js';

export default class TenantCiKubeconfig extends GshiftCommand {
  static override summary = "Print a kubeconfig for a tenant environment's CI ServiceAccount, with a short-lived token.";
  static override description =
    'The token comes from the TokenRequest API and expires after --duration; nothing is stored in the cluster. The output contains the token: write it to a file or a pipeline secret, not a log. In --json mode the kubeconfig is in result.kubeconfig.';
  static override examples = [
    '<%= config.bin %> tenant ci-kubeconfig shop --env test > kubeconfig-ci',
    '<%= config.bin %> tenant ci-kubeconfig shop --env prod --duration 30m --json',
  ];
  static override args = {name: Args.string({description: 'The tenant.', required: true})};
  static override flags = {
    ...tenantClusterFlags,
    env: Flags.string({description: 'The environment whose CI account to use.', env: 'GSHIFT_ENV', required: true}),
    duration: durationFlag({description: 'How long the token stays valid (10m to 48h).', defaultText: '1h'}),
  };

  async run() {
    const {args, flags} = await this.parse(TenantCiKubeconfig);
    const {ciKubeconfig} = await import('../../tenant/ci-kubeconfig.js');
    const result = await ciKubeconfig({name: args.name, env: flags.env, durationMs: flags.duration}, {cluster: {kubeconfig: flags.kubeconfig, context: flags.context}});
    this.note(`Token for ${result.serviceAccount} in ${result.namespace}, valid until ${result.expiresAt}.`);
    this.print(result.kubeconfig);
    return result;
  }
}
