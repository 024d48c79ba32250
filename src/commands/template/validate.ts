import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {clusterFlags} from '../../flags.js';

export default class TemplateValidate extends GshiftCommand {
  static override summary = 'Check a template offline and, when a cluster is reachable, with a server-side dry-run of every object in the target namespace.';
  static override description =
    'Offline: the template structure, its parameters and generator expressions, and the processed objects (names, duplicates, undefined references). Then, unless --offline, every processed object is sent to the API server as a server-side dry-run, so admission (Pod Security, quotas, schemas) is checked without changing anything, in the namespace -n or --tenant/--env name (as every command resolves it). Without a reachable cluster the server check is skipped, with a warning saying so (also in --json).';
  static override examples = ['<%= config.bin %> template validate ./template.yaml -p NAME=shop', '<%= config.bin %> template validate postgresql --tenant shop --env prod', '<%= config.bin %> template validate postgresql --offline'];
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
    const {validateTemplate} = await import('../../template/validate.js');
    const result = await validateTemplate({
      template: args.template,
      params: flags.param ?? [],
      paramFiles: flags['param-file'] ?? [],
      ignoreUnknown: flags['ignore-unknown-parameters'],
      offline: flags.offline,
      target: flags,
    });
    for (const finding of result.findings.filter((f) => f.level === 'warning')) this.warnUser(finding.message);
    this.note(`✓ ${result.name}: structure, parameters and ${result.objects} objects are valid.`);
    if (result.server.checked) {
      for (const warning of result.server.warnings) this.warnUser(warning);
      this.note(`✓ The API server accepts all ${result.objects} objects in namespace ${result.server.namespace} (server-side dry-run).`);
    } else {
      this.warnUser(`the server-side check was skipped (${result.server.reason.charAt(0).toLowerCase()}${result.server.reason.slice(1)}): admission, quotas and schemas were not checked.`);
    }
    return result;
  }
}
