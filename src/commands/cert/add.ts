import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {CertWriteCommand, certificateFileFlags} from '../../cert-write-command.js';
import {clusterFlags} from '../../flags.js';

export default class CertAdd extends CertWriteCommand {
  static override summary = 'Check a certificate and its key, store them as a kubernetes.io/tls Secret and put them on an app\'s Route or Ingress.';
  static override description =
    'Everything is checked before anything is written: PEM (not DER), the key matches and is strong enough, the chain is in order and verifies to --ca, no MD5/SHA-1 signature, valid now, and the host is covered (RFC 6125 wildcards). With --app, the certificate goes on the app\'s Route (the leaf, intermediates and key inline, edge or reencrypt) or Ingress (tls, by Secret name), and every later render of the app keeps it.';
  static override examples = [
    '<%= config.bin %> cert add web-tls --cert web.crt --key web.key --ca ca.crt --app web -n shop-dev',
    '<%= config.bin %> cert add web-tls --cert web.crt --key web.key --app web --host web.shop.example.org --termination reencrypt',
    'KEY_PASS=… <%= config.bin %> cert add web-tls --cert web.crt --key web-encrypted.key --key-passphrase-env KEY_PASS',
  ];
  static override args = {name: Args.string({description: 'The certificate\'s name (its Secret\'s).', required: true})};
  static override flags = {
    ...certificateFileFlags,
    app: Flags.string({description: 'The app whose Route or Ingress serves the certificate.'}),
    host: Flags.string({description: 'The host the certificate must cover (default: the app\'s host; becomes the app\'s host when it has none).'}),
    termination: Flags.option({description: 'How the OpenShift router terminates TLS (with --app).', options: ['edge', 'reencrypt'] as const})(),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(CertAdd);
    const [{openSession}, {addCertificate, checkAddInput}] = await Promise.all([import('../../core/session.js'), import('../../cert/add.js')]);
    const request = {
      name: args.name,
      files: {cert: flags.cert, key: flags.key, ...(flags.ca ? {ca: flags.ca} : {})},
      ...(flags.app ? {app: flags.app} : {}),
      ...(flags.host ? {host: flags.host} : {}),
      ...(flags.termination ? {termination: flags.termination} : {}),
      passphrase: this.passphrase(flags['key-passphrase-env']),
    };
    const checked = await checkAddInput(request);
    const session = await openSession(flags, {readNamespace: true});
    try {
      const result = await addCertificate(session, request, checked, {tooling: this.tooling(), tracker: this.tracker});
      const rollout = await this.reportCertificate(session.cluster, result, {wait: flags.wait, timeoutMs: flags.timeout, verb: 'Added'});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
