import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {DbWriteCommand} from '../../db-write-command.js';
import {GshiftError} from '../../errors.js';
import {clusterFlags} from '../../flags.js';

export default class DbCredentials extends DbWriteCommand {
  static override summary = "Show a database's credentials (the password and URIs masked unless --reveal), or change the password with --rotate.";
  static override description =
    "--rotate sets a new password on the server (the user changes its own through a port-forward, with the engine's client), writes it to the Secret, restarts every attached app so it reads the new one, and then checks that the new password logs in and the old one no longer does.";
  static override examples = [
    '<%= config.bin %> db credentials orders -n shop-dev',
    '<%= config.bin %> db credentials orders --reveal --json | jq -r .result.values.uri',
    '<%= config.bin %> db credentials orders --rotate -n shop-dev',
  ];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    reveal: Flags.boolean({description: 'Show the password and the URIs (keep the output out of logs).', default: false}),
    rotate: Flags.boolean({description: 'Change the password: on the server, in the Secret, then restart the attached apps and check the login.', default: false, exclusive: ['reveal']}),
    ...waitFlags,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbCredentials);
    const {openSession} = await import('../../core/session.js');
    const session = await openSession(flags, {readNamespace: flags.rotate});
    try {
      if (flags.rotate) return await this.rotate(session, args.name, flags);
      const [{readCredentials}, {dbCredentialsView}] = await Promise.all([import('../../db/status.js'), import('../../ui/db-views.js')]);
      const credentials = await readCredentials(session.cluster, session.target.namespace, args.name, flags.reveal);
      this.print(dbCredentialsView(credentials));
      return credentials;
    } finally {
      await session.cluster.close();
    }
  }

  private async rotate(session: import('../../core/session.js').Session, name: string, flags: {wait: boolean; timeout: number}) {
    const [{rotatePassword, canLogIn}, {restartApp}] = await Promise.all([import('../../db/rotate.js'), import('../../app/deploy.js')]);
    const rotation = await rotatePassword(session, name, {tooling: this.tooling()}, this.tracker);
    try {
      const {namespace} = session.target;
      this.print(`Set a new password for ${rotation.next.username} on the server of database ${name} and in Secret ${name}.`);
      const apps = [...new Set(rotation.server.record.attached.map((entry) => entry.app))];
      for (const app of apps) {
        const restart = await restartApp(session, app);
        await this.report(session.cluster, {...restart, changed: true}, {wait: flags.wait, timeoutMs: flags.timeout, done: `Restarting ${app} so it reads the new password.`});
      }
      if (!(await canLogIn(rotation, rotation.next))) {
        throw new GshiftError('SERVER', `The new password of database ${name} does not log in.`, {hint: `check the server with gshift db connect ${name} -n ${namespace}, then rotate again.`, details: {database: name}});
      }
      if (await canLogIn(rotation, rotation.old)) {
        throw new GshiftError('SERVER', `The old password of database ${name} still logs in.`, {hint: 'the server accepts more than one password for the user (or trusts the connection); check its authentication settings.', details: {database: name}});
      }
      this.print(`Checked: the new password logs in, the old one is refused${apps.length > 0 ? `; restarted ${apps.join(', ')}` : ''}.`);
      return {database: name, namespace, rotated: true, username: rotation.next.username, secret: name, restarted: apps, loginChecked: true, oldPasswordRefused: true};
    } finally {
      await rotation.tunnel.close();
    }
  }
}
