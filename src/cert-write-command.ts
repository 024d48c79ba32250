import * as Flags from '@oclif/core/flags';

import {AppWriteCommand} from './app-write-command.js';
import type {CertWriteResult} from './cert/add.js';
import type {Cluster} from './cluster/index.js';
import {usageError} from './errors.js';
import type {RolloutResult} from './rollout/follow.js';

/** The certificate files and the key's passphrase: `cert add` and `cert rotate` take the same. */
export const certificateFileFlags = {
  cert: Flags.string({description: 'The certificate (PEM), followed by its intermediates in any order.', required: true}),
  key: Flags.string({description: 'The private key (PEM; PKCS#8-encrypted or traditional encrypted keys are asked a passphrase).', required: true}),
  ca: Flags.string({description: 'The CA certificate(s) the chain must verify to (PEM); stored as ca.crt.'}),
  'key-passphrase-env': Flags.string({description: 'The environment variable holding the encrypted key\'s passphrase (else it is asked on a terminal).'}),
};

/** What `cert add` and `cert rotate` share: the passphrase, and the report of the Secret and the app. */
export abstract class CertWriteCommand extends AppWriteCommand {
  /** The passphrase from --key-passphrase-env, else typed on a terminal; asked only for an encrypted key. */
  protected passphrase(variable: string | undefined): () => Promise<string | undefined> {
    return async () => {
      if (variable !== undefined) {
        const value = process.env[variable];
        if (value === undefined) throw usageError(`The environment variable ${variable} (--key-passphrase-env) is not set.`, `export ${variable} with the key's passphrase, or name the variable that holds it.`, {check: 'passphrase-missing'});
        return value;
      }
      const {askSecret} = await import('./ui/prompt.js');
      return askSecret('Passphrase of the private key:');
    };
  }

  /** The certificate, the Secret's change, then each app's apply and rollout as every app command reports them. */
  protected async reportCertificate(cluster: Cluster, result: CertWriteResult, options: {wait: boolean; timeoutMs: number; verb: 'Added' | 'Rotated'}): Promise<RolloutResult[] | undefined> {
    const {certificateLine} = await import('./ui/cert-views.js');
    for (const warning of result.warnings) this.warnUser(warning);
    this.print(certificateLine(result.certificate, result.summary, result.key));
    const where = result.apps.length === 0 ? ` in ${result.namespace}` : '';
    this.print(result.secret === 'unchanged' ? `Secret ${result.certificate} is up to date${where}.` : `${result.secret === 'created' ? 'Created' : 'Updated'} Secret ${result.certificate} (kubernetes.io/tls)${where}.`);
    const rollouts: RolloutResult[] = [];
    for (const app of result.apps) {
      const rollout = await this.report(cluster, app, {
        wait: options.wait,
        timeoutMs: options.timeoutMs,
        done: `${options.verb} certificate ${result.certificate} on app ${app.app}${app.host ? ` (https://${app.host}, ${app.termination})` : ''}.`,
        unchanged: `No changes: app ${app.app} already has certificate ${result.certificate}.`,
      });
      rollouts.push(...(rollout ?? []));
    }
    return rollouts.length > 0 ? rollouts : undefined;
  }
}
