import {GshiftCommand} from '../../base-command.js';
import {renderTable} from '../../ui/table.js';

export default class TemplateList extends GshiftCommand {
  static override summary = 'List the stacks: your template directories first, then the built-in catalogue.';
  static override description =
    'A stack is an OpenShift Template (template.openshift.io/v1) with a small descriptor. Directories named in the templateDirs config are searched before the built-in catalogue, so a team can add stacks or replace built-in ones.';
  static override examples = ['<%= config.bin %> template list', '<%= config.bin %> template list --json'];

  async run() {
    await this.parse(TemplateList);
    const [{loadConfig}, {describeStacks}] = await Promise.all([import('../../config/load.js'), import('../../render/describe.js')]);
    const {values} = await loadConfig();
    const stacks = await describeStacks(values.templateDirs);
    for (const stack of stacks) if (stack.problem) this.warnUser(`${stack.path}: ${stack.problem}`);
    this.print(renderTable(['name', 'kind', 'source', 'description'], stacks.map((stack) => [stack.name, stack.kind ?? '?', stack.source, stack.description ?? ''])));
    return stacks;
  }
}
