import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../../flags.js';

export default class AppEnv extends GshiftCommand {
  static override summary = "List an app's environment variables; secret values stay masked unless --reveal.";
  static override examples = ['<%= config.bin %> app env web --tenant shop --env dev', '<%= config.bin %> app env web -n shop-dev --reveal --json'];
  static override args = {name: Args.string({description: 'The app.', required: true})};
  static override flags = {reveal: Flags.boolean({description: 'Show secret values.', default: false}), output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(AppEnv);
    const [{openSession}, {requireInputs}, {envConfigMapName, envSecretName, listEnv}, {renderTable}] = await Promise.all([
      import('../../../core/session.js'),
      import('../../../app/redeploy.js'),
      import('../../../app/env.js'),
      import('../../../ui/table.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const {stored} = await requireInputs(session, args.name);
      const listing = await listEnv(session.cluster, session.target.namespace, args.name, stored, {reveal: flags.reveal});
      const table = (wide: boolean) =>
        listing.variables.length === 0
          ? `App ${args.name} has no environment variables. Set some with: gshift app env set ${args.name} KEY=VALUE`
          : renderTable(
              ['name', 'value', 'kind', ...(wide ? ['from'] : [])],
              listing.variables.map((variable) => [variable.name, variable.value, variable.secret ? 'secret' : 'plain', ...(wide ? [variable.secret ? `Secret ${envSecretName(args.name)}` : `ConfigMap ${envConfigMapName(args.name)}`] : [])]),
            );
      await this.present(listing, flags.output, {table: () => table(false), wide: () => table(true)});
      return listing;
    } finally {
      await session.cluster.close();
    }
  }
}
