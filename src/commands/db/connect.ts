import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import type {PortForwardTunnel} from '../../cluster/index.js';
import {EXIT_CODES, usageError} from '../../errors.js';
import {clusterFlags, integerFlag} from '../../flags.js';

export default class DbConnect extends GshiftCommand {
  static override summary = "Open the engine's own client (psql, mariadb/mysql, redis-cli) on a database, through a port-forward to its pod.";
  static override description =
    'The port-forward goes through the API server to the database pod (no route or public address needed). The client gets the credentials from the environment (PGPASSWORD, MYSQL_PWD, REDISCLI_AUTH), never on its command line. With --port-forward-only, gshift prints the local address and keeps the tunnel open until Ctrl-C, for a client of your choice.';
  static override examples = [
    '<%= config.bin %> db connect orders -n shop-dev',
    '<%= config.bin %> db connect orders --port-forward-only --port 15432 -n shop-dev',
  ];
  static override args = {name: Args.string({description: 'The database name.', required: true})};
  static override flags = {
    'port-forward-only': Flags.boolean({description: 'Only open the tunnel: print its local address and hold it until Ctrl-C.', default: false}),
    port: integerFlag({description: 'The local port of the tunnel (default: a free one).', min: 0, example: 15432}),
    ...clusterFlags,
  };

  private tunnel?: PortForwardTunnel;

  async run() {
    const {args, flags} = await this.parse(DbConnect);
    if (flags.port !== undefined && flags.port > 65535) throw usageError(`--port: ${flags.port} is not a port.`, 'pass a port from 1 to 65535, or leave it out to get a free one.');
    const [{openSession}, {databaseServer}, {requireClient}] = await Promise.all([import('../../core/session.js'), import('../../db/server-pod.js'), import('../../db/client-programs.js')]);
    const session = await openSession(flags);
    try {
      const namespace = session.target.namespace;
      // Before any tunnel: a missing client is the user's to fix, and says what to install.
      const server = await databaseServer(session.cluster, namespace, args.name);
      const client = flags['port-forward-only'] ? undefined : requireClient(server.engine.name, 'connect');
      const {openDatabaseTunnel} = await import('../../db/connect.js');
      const {tunnel, credentials} = await openDatabaseTunnel(session.cluster, namespace, args.name, {
        ...(flags.port ? {localPort: flags.port} : {}),
        onError: (error) => this.warnUser(error.message),
      });
      this.tunnel = tunnel;
      const endpoint = {address: tunnel.address, port: tunnel.port};
      const result = {database: args.name, namespace, engine: server.engine.name, pod: server.pod, address: tunnel.address, port: tunnel.port};
      if (!client) {
        const {clientHint} = await import('../../db/client-programs.js');
        if (this.jsonEnabled()) this.logJson(this.toSuccessJson(result));
        this.note(`Forwarding ${tunnel.address}:${tunnel.port} to ${server.pod}:${server.port} (${server.engine.name}). Ctrl-C stops it.`);
        this.print(`${tunnel.address}:${tunnel.port}`);
        this.note(`Connect with: ${clientHint(server.engine.name, endpoint, credentials)}  (password: gshift db credentials ${args.name} --reveal -n ${namespace})`);
        await tunnel.closed;
        return undefined;
      }
      const [{execa}, {clientInvocation}] = await Promise.all([import('execa'), import('../../db/client-programs.js')]);
      const invocation = clientInvocation(server.engine.name, endpoint, credentials);
      // Ctrl-C belongs to the client (psql cancels the query) while it runs.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      try {
        const run = await execa(client, invocation.args, {stdio: 'inherit', env: invocation.env, reject: false});
        process.exitCode = run.exitCode ?? 1;
      } finally {
        process.removeListener('SIGINT', ignore);
      }
      return {...result, exitCode: process.exitCode};
    } finally {
      await this.tunnel?.close();
      await session.cluster.close();
    }
  }

  /** Ctrl-C with --port-forward-only is how the tunnel ends: close it and exit 130, without an error. */
  protected override interrupted(): void {
    if (!this.tunnel) return super.interrupted();
    this.note(`\nClosed the tunnel ${this.tunnel.address}:${this.tunnel.port}.`);
    void this.tunnel.close().finally(() => process.exit(EXIT_CODES.INTERRUPTED));
  }
}
