import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, viewOutputFlag} from '../../flags.js';

export default class CertList extends GshiftCommand {
  static override summary = 'List the certificates gshift can see: TLS Secrets, Routes\' inline certificates and cert-manager Certificates, with hosts, issuer, expiry and the apps that use them.';
  static override examples = ['<%= config.bin %> cert list -n shop-dev', '<%= config.bin %> cert list --tenant shop --all-envs', '<%= config.bin %> cert list -n shop-dev -o wide'];
  static override flags = {
    'all-envs': Flags.boolean({char: 'A', description: "List the tenant's certificates in all of its environments.", default: false}),
    output: viewOutputFlag,
    ...clusterFlags,
  };

  async run() {
    const {flags} = await this.parse(CertList);
    const [{openSession}, {certificatesFor}, {certListView}, {colours}] = await Promise.all([
      import('../../core/session.js'),
      import('../../cert/expiry.js'),
      import('../../ui/cert-views.js'),
      import('../../ui/terminal.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const listing = await certificatesFor(session, {allEnvs: flags['all-envs']});
      for (const {namespace, reason} of listing.unreadable) this.warnUser(`${namespace} left out: ${reason}`);
      const {unreadable: _unreadable, ...result} = listing;
      const chalk = await colours('stdout');
      const view = (wide: boolean) => () =>
        certListView(listing.certificates, {where: listing.tenant ? `tenant ${listing.tenant}` : `namespace ${listing.namespace}`, wide, allEnvs: flags['all-envs'], colours: chalk});
      await this.present(result, flags.output, {table: view(false), wide: view(true)});
      return result;
    } finally {
      await session.cluster.close();
    }
  }
}
