import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {CertWriteCommand, certificateFileFlags} from '../../cert-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class CertRotate extends CertWriteCommand {
  static override summary = 'Replace a certificate in place after the same checks as cert add; the apps that use it get the new one.';
  static override description = 'The new certificate must cover every name the current one covers and the apps\' hosts (--force replaces it anyway). The Secret is replaced in place, and each app that uses it is rendered again so its Route carries the new certificate.';
  static override examples = ['<%= config.bin %> cert rotate web-tls --cert web-2027.crt --key web-2027.key --ca ca.crt -n shop-prod'];
  static override args = {name: Args.string({description: 'The certificate to replace.', required: true})};
  static override flags = {
    ...certificateFileFlags,
    force: Flags.boolean({description: 'Replace it even when the new certificate covers fewer names.', default: false}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(CertRotate);
    const [{openSession}, {checkRotateInput, rotateCertificate}] = await Promise.all([import('../../core/session.js'), import('../../cert/rotate.js')]);
    const request = {name: args.name, files: {cert: flags.cert, key: flags.key, ...(flags.ca ? {ca: flags.ca} : {})}, force: flags.force, passphrase: this.passphrase(flags['key-passphrase-env'])};
    const checked = await checkRotateInput(request);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await rotateCertificate(session, request, checked, {tooling: this.tooling(), tracker: this.tracker});
      const rollout = await this.reportCertificate(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, verb: 'Rotated'});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
