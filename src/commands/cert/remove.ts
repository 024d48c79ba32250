import * as Args from '@oclif/core/args';

import {AppWriteCommand} from '../../app-write-command.js';
import {clusterFlags, yesFlag} from '../../flags.js';

export default class CertRemove extends AppWriteCommand {
  static override summary = 'Take a certificate off the apps that use it and delete it (its Secret, and the cert-manager Certificate gshift cert issue made).';
  static override examples = ['<%= config.bin %> cert remove web-tls -n shop-dev', '<%= config.bin %> cert remove web-tls -n shop-dev --yes'];
  static override args = {name: Args.string({description: 'The certificate to remove.', required: true})};
  static override flags = {yes: yesFlag, ...clusterFlags};

  async run() {
    const {args, flags} = await this.parse(CertRemove);
    const [{openSession}, {planRemoval, removeCertificate}, {confirmDestructive}, {applyLines}] = await Promise.all([
      import('../../core/session.js'),
      import('../../cert/remove.js'),
      import('../../ui/prompt.js'),
      import('../../ui/app-views.js'),
    ]);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const plan = await planRemoval(session, args.name);
      const users = plan.apps.length > 0 ? ` and take it off ${plan.apps.map((app) => `app ${app}`).join(', ')}` : '';
      if (!(await confirmDestructive({message: `Delete certificate ${plan.certificate} in ${plan.namespace}${users}?`, yes: flags.yes}))) {
        this.print('Nothing was removed.');
        return {certificate: plan.certificate, namespace: plan.namespace, deleted: [], apps: [], cancelled: true};
      }
      const result = await removeCertificate(session, plan, {tooling: this.tooling(), tracker: this.tracker});
      for (const app of result.apps) {
        for (const warning of app.warnings) this.warnUser(warning);
        if (app.changed) this.print(applyLines(app).join('\n'));
        this.print(`Took certificate ${plan.certificate} off app ${app.app}.`);
      }
      this.print(result.deleted.length > 0 ? `Deleted ${result.deleted.join(' and ')} in ${plan.namespace}.` : `Certificate ${plan.certificate} had nothing left to delete.`);
      return result;
    } finally {
      await session.cluster.close();
    }
  }
}
