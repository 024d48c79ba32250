import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {waitFlags} from '../../app-write-command.js';
import {DbWriteCommand} from '../../db-write-command.js';
import {clusterFlags, bareDryRunAsClient, dryRunFlag, forceConflictsFlag, manifestOutputFlag, platformFlag, refuseOutputWithoutDryRun} from '../../flags.js';

export default class DbCreate extends DbWriteCommand {
  static override summary = 'Create a database (PostgreSQL, MariaDB, MySQL or Redis) with its own volume and generated credentials, and wait until it is ready.';
  static override description =
    "Renders the engine from the catalogue's db stack as a StatefulSet with one replica whose volume comes from a volumeClaimTemplate, a headless and a client Service, a NetworkPolicy admitting only this namespace, and a Secret with generated credentials (keys host, port, username, password, dbname, uri and, for SQL engines, jdbc-uri). Applies it as an ApplySet and follows the rollout. Running it again keeps the credentials and, with the same inputs, changes nothing; a bigger --size resizes the volume, a smaller one is refused.";
  static override examples = [
    '<%= config.bin %> db create orders --engine postgresql --tenant shop --env dev',
    '<%= config.bin %> db create cache --engine redis --size 2Gi -n shop-dev',
    '<%= config.bin %> db create orders --engine postgresql --version 15 --dry-run',
  ];
  static override args = {name: Args.string({description: 'The database name (a DNS label: lower-case letters, digits and "-", starting with a letter).', required: true})};
  static override flags = {
    engine: Flags.string({description: 'The engine: postgresql, mariadb, mysql or redis.', required: true}),
    version: Flags.string({description: "The engine's version (default: the newest gshift knows)."}),
    size: Flags.string({description: "The volume's size, e.g. 10Gi (default: the stack's, 1Gi). Volumes grow, never shrink."}),
    'storage-class': Flags.string({description: "The volume's StorageClass (default: the cluster's default class)."}),
    ha: Flags.boolean({description: 'PostgreSQL only: a CloudNativePG cluster (a primary and standbys with failover; 3 instances in the HA environments, 2 elsewhere). Needs the CloudNativePG operator.'}),
    'dry-run': dryRunFlag,
    reveal: Flags.boolean({description: 'With --dry-run, print the generated credentials instead of ••••.', default: false}),
    'force-conflicts': forceConflictsFlag,
    ...waitFlags,
    output: manifestOutputFlag,
    platform: platformFlag,
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(DbCreate, bareDryRunAsClient(this.argv));
    refuseOutputWithoutDryRun(flags['dry-run'], this.argv);
    const request = {...flags, name: args.name, storageClass: flags['storage-class'], ha: flags.ha || undefined};
    if (flags['dry-run'] === 'client') {
      const [{renderDbManifests}, {formatManifests}] = await Promise.all([import('../../db/create.js'), import('../../render/manifest.js')]);
      const rendered = await renderDbManifests(request, {reveal: flags.reveal});
      this.noteMasked(rendered.masked);
      this.print((await formatManifests(rendered.objects, flags.output)).trimEnd());
      return {dryRun: 'client', platform: rendered.platform, list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: rendered.objects}};
    }
    const [{openSession}, {createDatabase}, {checkDbFlags}] = await Promise.all([import('../../core/session.js'), import('../../db/create.js'), import('../../db/inputs.js')]);
    const session = await openSession(flags, {readNamespace: true, validate: (config) => void checkDbFlags(request, config.values)});
    try {
      const result = await createDatabase(session, {flags: request, serverDryRun: flags['dry-run'] === 'server', forceConflicts: flags['force-conflicts'], tooling: this.tooling()}, this.tracker);
      const rollout = await this.reportDatabase(session.cluster, result, {wait: flags.wait && !result.dryRun, timeoutMs: flags.timeout});
      return {...result, ...(rollout ? {rollout} : {})};
    } finally {
      await session.cluster.close();
    }
  }
}
