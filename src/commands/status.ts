import {GshiftCommand} from '../base-command.js';
import {clusterFlags, viewOutputFlag} from '../flags.js';

export default class Status extends GshiftCommand {
  static override summary = 'Show which cluster, platform and namespace gshift is working with.';
  static override description =
    'Prints the kubeconfig context, the API server address and the user, and the effective tenant, environment and namespace with where each came from — known without the network, so they are printed first even when the cluster cannot be reached — then asks the server for its version and the platform (openshift when Routes are served, else kubernetes; the gshift config can force it). Exits with 3 when the cluster cannot be reached or the server is not a Kubernetes API server (a console URL); with --json the offline part is then in error.details.known.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --context prod --json', '<%= config.bin %> status --tenant shop --env dev'];
  static override flags = {output: viewOutputFlag, ...clusterFlags};

  async run() {
    const {flags} = await this.parse(Status);
    const [{clusterStatus}, {offlineStatusFields, onlineStatusFields, statusKeyWidth}, {renderFields}] = await Promise.all([
      import('../core/status.js'),
      import('../ui/status-view.js'),
      import('../ui/table.js'),
    ]);
    // Offline facts first, so a failure below still shows which cluster and namespace were meant.
    const wide = flags.output === 'wide';
    const fields = !this.jsonEnabled() && (flags.output === undefined || flags.output === 'table' || wide);
    const status = await clusterStatus(flags, (offline) => {
      if (fields) this.print(renderFields(offlineStatusFields(offline, {wide}), {keyWidth: statusKeyWidth(wide)}));
    });
    if (fields) this.print(renderFields(onlineStatusFields(status), {keyWidth: statusKeyWidth(wide)}));
    else await this.present(status, flags.output, {table: () => ''});
    return status;
  }
}
