import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../../base-command.js';
import {manifestOutputFlag} from '../../flags.js';

export default class TemplateProcess extends GshiftCommand {
  static override summary = 'Process a template into a List of manifests, as `oc process --local` does.';
  static override description =
    'Prints a kind: List that `kubectl apply -f -` accepts. The template message goes to stderr. Parameter values are placed into parsed values, so a value can never add YAML or JSON structure; ${{NAME}} standing alone is JSON-decoded, as in oc.';
  static override examples = [
    '<%= config.bin %> template process postgresql -p NAME=orders-db --reveal | kubectl apply -f -',
    '<%= config.bin %> template process ./template.json --param-file prod.env -o json',
  ];
  static override args = {template: Args.string({description: 'A stack name or a template file (JSON or YAML).', required: true})};
  static override flags = {
    param: Flags.string({char: 'p', description: 'Set a parameter: NAME=VALUE (repeatable).', multiple: true}),
    'param-file': Flags.string({description: 'File of NAME=VALUE lines (dotenv); -p wins over it.', multiple: true}),
    'ignore-unknown-parameters': Flags.boolean({description: 'Accept parameters the template does not declare.'}),
    labels: Flags.string({char: 'l', description: 'Extra label for every object: KEY=VALUE (repeatable).', multiple: true}),
    reveal: Flags.boolean({description: 'Print the values of Secrets (generated passwords) instead of ••••.', default: false}),
    output: manifestOutputFlag,
  };

  async run() {
    const {args, flags} = await this.parse(TemplateProcess);
    const [{loadConfig}, {processTemplateCommand}, {formatManifests}, {printableManifests}] = await Promise.all([
      import('../../config/load.js'),
      import('../../render/run-process.js'),
      import('../../render/manifest.js'),
      import('../../core/secret-masking.js'),
    ]);
    const {values} = await loadConfig();
    const result = await processTemplateCommand({
      template: args.template,
      templateDirs: values.templateDirs,
      params: flags.param ?? [],
      paramFiles: flags['param-file'] ?? [],
      labels: flags.labels ?? [],
      ignoreUnknown: flags['ignore-unknown-parameters'],
    });
    const {objects, masked} = printableManifests(result.objects, flags.reveal);
    for (const warning of result.warnings) this.warnUser(warning);
    if (result.message && !this.jsonEnabled()) this.note(result.message);
    this.noteMasked(masked);
    this.print((await formatManifests(objects, flags.output)).trimEnd());
    return {list: {apiVersion: 'v1', kind: 'List', metadata: {}, items: objects}, message: result.message ?? null};
  }
}
