import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {AppWriteCommand} from '../../app-write-command.js';
import {clusterFlags, durationFlag} from '../../flags.js';

export default class CertIssue extends AppWriteCommand {
  static override summary = 'Have cert-manager issue (and renew) a certificate for an app\'s host, and put it on the app\'s Route or Ingress.';
  static override description =
    'Creates a cert-manager.io/v1 Certificate (a new ECDSA P-256 key, PKCS#8) signed by --issuer or --cluster-issuer. With --wait, gshift waits until it is issued and reports the CertificateRequest\'s (or ACME Order\'s) reason when it is not. An Ingress names the Secret, so renewals reach it by themselves; a Route carries the certificate inline, copied from the Secret on every render of the app: run gshift cert issue again (or any gshift app command) after a renewal, and gshift cert list marks a Route whose copy is out of date.';
  static override examples = [
    '<%= config.bin %> cert issue web-tls --app web --host web.shop.example.org --cluster-issuer letsencrypt --wait -n shop-prod',
    '<%= config.bin %> cert issue web-tls --app web --host web.shop.example.org --issuer shop-ca -n shop-dev',
  ];
  static override args = {name: Args.string({description: 'The certificate\'s name (its Secret\'s and its Certificate\'s).', required: true})};
  static override flags = {
    app: Flags.string({description: 'The app whose Route or Ingress serves the certificate.', required: true}),
    host: Flags.string({description: 'The host to issue it for (the app\'s host; becomes it when the app has none).', required: true}),
    issuer: Flags.string({description: 'A cert-manager Issuer in the namespace.', exclusive: ['cluster-issuer']}),
    'cluster-issuer': Flags.string({description: 'A cert-manager ClusterIssuer.', exclusive: ['issuer']}),
    wait: Flags.boolean({description: 'Wait until cert-manager has issued the certificate.', default: false}),
    timeout: durationFlag({description: 'How long --wait waits for the certificate (e.g. 90s, 5m).', env: 'GSHIFT_TIMEOUT', defaultText: '5m'}),
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(CertIssue);
    const [{openSession}, {checkIssueInput, issueCertificate}, {certificateLine}, {applyLines}] = await Promise.all([
      import('../../core/session.js'),
      import('../../cert/issue.js'),
      import('../../ui/cert-views.js'),
      import('../../ui/app-views.js'),
    ]);
    const request = {
      name: args.name,
      app: flags.app,
      host: flags.host,
      ...(flags.issuer ? {issuer: flags.issuer} : {}),
      ...(flags['cluster-issuer'] ? {clusterIssuer: flags['cluster-issuer']} : {}),
      wait: flags.wait,
      timeoutMs: flags.timeout,
    };
    checkIssueInput(request);
    const session = await openSession(flags, {readNamespace: true});
    try {
      if (flags.wait) this.note(`Waiting for cert-manager to issue ${args.name} for ${flags.host}…`);
      const result = await issueCertificate(session, request, {tooling: this.tooling(), tracker: this.tracker});
      this.print(`${result.action === 'unchanged' ? 'Certificate' : result.action === 'created' ? 'Created Certificate' : 'Updated Certificate'} ${result.certificate} (${result.issuer.kind} ${result.issuer.name}, ${result.host})${result.action === 'unchanged' ? ' is up to date' : ''}.`);
      if (result.summary) this.print(certificateLine(result.certificate, result.summary));
      else this.print(`cert-manager is issuing it: gshift cert list shows when it is ready${result.route ? `; run gshift cert issue ${result.certificate} again then, so app ${flags.app}'s Route carries it` : ''}.`);
      for (const app of result.apps) {
        for (const warning of app.warnings) this.warnUser(warning);
        if (app.changed) this.print(applyLines(app).join('\n'));
        this.print(app.changed ? `App ${app.app} serves certificate ${result.certificate}${result.ready ? '' : ' once it is issued'}.` : `No changes: app ${app.app} already has certificate ${result.certificate}.`);
      }
      return result;
    } finally {
      await session.cluster.close();
    }
  }
}
