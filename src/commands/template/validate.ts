import {Args, Flags} from '@oclif/core';

import {GshiftCommand} from '../../base-command.js';
import {GshiftError, usageError} from '../../errors.js';
import {clusterFlags} from '../../flags.js';
import type {KubeObject} from '../../render/template.js';

export default class TemplateValidate extends GshiftCommand {
  static override summary = 'Check a template offline and, when a cluster is reachable, with a server-side dry-run of every object.';
  static override description =
    'Offline: the template structure, its parameters and generator expressions, and the processed objects (names, duplicates, undefined references). Then, unless --offline, every processed object is sent to the API server as a server-side dry-run, so admission (Pod Security, quotas, schemas) is checked without changing anything.';
  static override examples = ['<%= config.bin %> template validate ./template.yaml -p NAME=shop', '<%= config.bin %> template validate postgresql --offline'];
  static override args = {template: Args.string({description: 'A stack name or a template file (JSON or YAML).', required: true})};
  static override flags = {
    param: Flags.string({char: 'p', description: 'Set a parameter: NAME=VALUE (repeatable).', multiple: true}),
    'param-file': Flags.string({description: 'File of NAME=VALUE lines (dotenv); -p wins over it.', multiple: true}),
    'ignore-unknown-parameters': Flags.boolean({description: 'Accept parameters the template does not declare.'}),
    offline: Flags.boolean({description: 'Skip the server-side dry-run.'}),
    ...clusterFlags,
  };

  async run() {
    const {args, flags} = await this.parse(TemplateValidate);
    const [{loadConfig}, {processTemplateCommand}, {checkTemplateObjects}] = await Promise.all([
      import('../../config/load.js'),
      import('../../render/run-process.js'),
      import('../../render/validate.js'),
    ]);
    const {values} = await loadConfig();
    const processed = await processTemplateCommand({
      template: args.template,
      templateDirs: values.templateDirs,
      params: flags.param ?? [],
      paramFiles: flags['param-file'] ?? [],
      labels: [],
      ignoreUnknown: flags['ignore-unknown-parameters'],
    });
    const findings = checkTemplateObjects(processed.template, processed.objects);
    for (const finding of findings.filter((f) => f.level === 'warning')) this.warnUser(finding.message);
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length > 0) throw usageError(`${processed.source} is not valid: ${errors.map((f) => f.message).join(' ')}`, 'fix the objects in the template.', {findings});
    this.note(`✓ ${processed.name}: structure, parameters and ${processed.objects.length} objects are valid.`);
    const server = flags.offline ? {checked: false, reason: '--offline'} : await this.dryRun(processed.objects, flags);
    if (server.checked) this.note(`✓ The API server accepts all ${processed.objects.length} objects (server-side dry-run).`);
    else this.note(`Server-side check skipped: ${server.reason}.`);
    return {name: processed.name, source: processed.source, objects: processed.objects.length, findings, server};
  }

  /** Unreachable or unconfigured clusters skip the check; a rejection is the command's failure. */
  private async dryRun(objects: KubeObject[], flags: {kubeconfig?: string; context?: string; namespace?: string}) {
    const {connect} = await import('../../cluster/index.js');
    let cluster;
    try {
      cluster = await connect({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace});
      await cluster.discovery();
    } catch (error) {
      if (error instanceof GshiftError && ['USAGE', 'UNREACHABLE', 'CONFIG'].includes(error.code)) return {checked: false, reason: error.message.replace(/\.$/, '')};
      throw error;
    }
    try {
      const outcomes = await cluster.apply(objects, {namespace: flags.namespace ?? cluster.namespace, dryRun: true});
      const warnings = outcomes.flatMap((outcome) => outcome.warnings.map((warning) => `${outcome.ref.kind} ${outcome.ref.name}: ${warning}`));
      for (const warning of warnings) this.warnUser(warning);
      return {checked: true, namespace: flags.namespace ?? cluster.namespace, warnings};
    } finally {
      await cluster.close();
    }
  }
}
