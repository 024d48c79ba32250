import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../base-command.js';
import {clusterFlags} from '../flags.js';

export default class Init extends GshiftCommand {
  static override summary = 'Write a starter gshift.yaml, or one that describes what a tenant already runs (--from-tenant).';
  static override description =
    'The file starts with the yaml-language-server line that points editors at gshift\'s JSON Schema, so they complete and check it. Without --from-tenant it holds the tenant, its environments, and the apps (--app NAME:STACK) and databases (--db NAME:ENGINE) given; on a terminal gshift asks for what is missing, elsewhere the flags are all there is (--tenant is then required). With --from-tenant it describes what the tenant runs now (settings, apps with their autoscalers, databases with their high availability and backup schedules, cert-manager certificates, per environment, what they share written once; a certificate added from files is noted, since its files cannot be read back): gshift up with that file changes nothing. An existing file is replaced only with --force.';
  static override examples = [
    '<%= config.bin %> init --tenant shop --app web:nodejs --app api:java --db orders:postgresql',
    '<%= config.bin %> init --tenant shop --envs dev,prod --file deploy/gshift.yaml',
    '<%= config.bin %> init --from-tenant shop',
  ];
  static override flags = {
    tenant: Flags.string({description: 'The tenant the file describes (asked for on a terminal).', env: 'GSHIFT_TENANT'}),
    envs: Flags.string({description: "Comma-separated environments (default: the config's environments)."}),
    app: Flags.string({description: 'An app as NAME:STACK (repeatable).', multiple: true}),
    db: Flags.string({description: 'A database as NAME:ENGINE (repeatable).', multiple: true}),
    file: Flags.string({char: 'f', description: 'Where to write.', default: 'gshift.yaml', env: 'GSHIFT_FILE'}),
    force: Flags.boolean({description: 'Replace an existing file.', default: false}),
    'from-tenant': Flags.string({description: 'Describe what this tenant already runs (reads the cluster).', exclusive: ['tenant', 'envs', 'app', 'db']}),
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
  };

  async run() {
    const {flags} = await this.parse(Init);
    const [{starterFile, refuseDatabaseStacks, fileText, writeTenantFile}, {loadSessionConfig}] = await Promise.all([import('../up/init.js'), import('../core/session.js')]);
    const {existsSync} = await import('node:fs');
    // Before any question or request: a file that is there stays unless --force.
    if (existsSync(flags.file) && !flags.force) writeTenantFile(flags.file, '', {force: false});
    const config = await loadSessionConfig();
    let content;
    let notes: string[] = [];
    if (flags['from-tenant']) {
      const [{withSession}, {fileFromTenant}] = await Promise.all([import('../core/session.js'), import('../up/from-tenant.js')]);
      const described = await withSession(flags, {config}, ({cluster}) => fileFromTenant(cluster, flags['from-tenant']!, config.values));
      content = described.file;
      notes = described.notes;
      for (const note of notes) this.warnUser(note);
    } else {
      const {askFor, askOrPropose} = await import('../ui/prompt.js');
      const tenant = flags.tenant || (await askFor('tenant', 'Tenant (team or institution):'));
      const envs = flags.envs ?? (await askOrPropose('Environments:', config.values.environments.join(',')));
      const apps = flags.app ?? splitList(await askOrPropose('Apps as NAME:STACK (comma-separated, empty for none):', ''));
      const dbs = flags.db ?? splitList(await askOrPropose('Databases as NAME:ENGINE (comma-separated, empty for none):', ''));
      content = starterFile({tenant, envs, apps, dbs}, config.values);
      await refuseDatabaseStacks(content, config.values.templateDirs);
    }
    writeTenantFile(flags.file, fileText(content, flags.file, notes), {force: flags.force});
    this.print(`Wrote ${flags.file}${flags['from-tenant'] ? ` (tenant ${flags['from-tenant']} as it runs)` : ''}. Next: gshift diff -f ${flags.file}, then gshift up -f ${flags.file}.`);
    return {file: flags.file, content};
  }
}

const splitList = (text: string) => text.split(',').map((part) => part.trim()).filter(Boolean);
