import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags, integerFlag} from '../../flags.js';

export default class CertCheck extends GshiftCommand {
  static override summary = 'Check that no certificate expires soon: exit 0 when none does, warnings inside --warn-days, exit 13 when any expires within --fail-days (or has expired).';
  static override description = 'Made for CI and cron: every certificate `gshift cert list` shows is checked, and the ones inside a window are listed by name, namespace, days left and expiry date.';
  static override examples = ['<%= config.bin %> cert check -n shop-prod', '<%= config.bin %> cert check --tenant shop --all-envs --warn-days 45 --fail-days 14 --json'];
  static override flags = {
    'warn-days': integerFlag({description: 'Warn about certificates that expire within this many days.', min: 0, example: 30}),
    'fail-days': integerFlag({description: 'Fail (exit 13) when a certificate expires within this many days.', min: 0, example: 7}),
    'all-envs': Flags.boolean({char: 'A', description: "Check the tenant's certificates in all of its environments.", default: false}),
    ...clusterFlags,
  };

  async run() {
    const {flags} = await this.parse(CertCheck);
    const [{openSession}, {certificatesFor, checkExpiry, describeExpiry, expiringError}] = await Promise.all([import('../../core/session.js'), import('../../cert/expiry.js')]);
    const windows = {warnDays: flags['warn-days'] ?? 30, failDays: flags['fail-days'] ?? 7};
    const session = await openSession(flags, {readNamespace: true});
    try {
      const listing = await certificatesFor(session, {allEnvs: flags['all-envs']});
      for (const {namespace, reason} of listing.unreadable) this.warnUser(`${namespace} left out: ${reason}`);
      const report = checkExpiry(listing.certificates, windows);
      for (const entry of report.warning) this.warnUser(`certificate ${describeExpiry(entry)} expires within ${windows.warnDays} days.`);
      for (const entry of report.pending) this.warnUser(`certificate ${entry.name} in ${entry.namespace} has not been issued yet (${entry.status ?? 'no status'}).`);
      if (report.failing.length > 0) throw expiringError(report);
      this.print(`${report.checked} certificate${report.checked === 1 ? '' : 's'} checked: none expires within ${windows.failDays} days${report.warning.length > 0 ? `, ${report.warning.length} within ${windows.warnDays}` : ''}.`);
      return report;
    } finally {
      await session.cluster.close();
    }
  }
}
