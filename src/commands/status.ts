import {GshiftCommand} from '../base-command.js';
import {clusterFlags} from '../flags.js';
import {renderFields} from '../ui/table.js';

export default class Status extends GshiftCommand {
  static override summary = 'Show which cluster, platform and namespace gshift is working with.';
  static override description =
    'Connects to the cluster of the current kubeconfig context and prints the context, the API server address and version, the platform (openshift when Routes are served, else kubernetes; the gshift config can force it), and the effective tenant, environment and namespace with where each came from. Exits with 3 when the cluster cannot be reached.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --context prod --json', '<%= config.bin %> status --tenant shop --env dev'];
  static override flags = {...clusterFlags};

  async run() {
    const {flags} = await this.parse(Status);
    const [{loadConfig}, {resolveTarget}, {connect}, {clusterFacts}] = await Promise.all([
      import('../config/load.js'),
      import('../core/target.js'),
      import('../cluster/index.js'),
      import('../cluster/facts.js'),
    ]);
    const config = await loadConfig();
    const cluster = await connect({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
    try {
      const target = resolveTarget({flags, config: config.values, contextNamespace: cluster.contextNamespace});
      const facts = await clusterFacts(cluster, config.values.platform);
      const origin = (flag: string | undefined, key: 'tenant' | 'env') => (flag === undefined ? config.sources[key] : `flag --${key}`);
      const result = {
        ...facts,
        tenant: target.tenant ?? null,
        tenantSource: target.tenant ? origin(flags.tenant, 'tenant') : null,
        env: target.env ?? null,
        envSource: target.env ? origin(flags.env, 'env') : null,
        namespace: target.namespace,
        namespaceSource: target.source,
      };
      this.print(
        renderFields([
          ['Context', facts.context],
          ['Server', facts.server],
          ['Version', facts.serverVersion],
          ['Platform', `${facts.platform} (${facts.platformSource === 'config' ? 'set in config' : 'detected'})`],
          ['User', facts.user],
          ['Tenant', target.tenant ? `${target.tenant} (${result.tenantSource})` : '-'],
          ['Env', target.env ? `${target.env} (${result.envSource})` : '-'],
          ['Namespace', `${target.namespace} (${target.source})`],
        ]),
      );
      return result;
    } finally {
      await cluster.close();
    }
  }
}
