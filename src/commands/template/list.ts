import {GshiftCommand} from '../../base-command.js';
import {viewOutputFlag} from '../../flags.js';
import {renderTable} from '../../ui/table.js';

export default class TemplateList extends GshiftCommand {
  static override summary = 'List the stacks: your template directories first, then the built-in catalogue.';
  static override description =
    'A stack is an OpenShift Template (template.openshift.io/v1) with a small descriptor. Directories named in the templateDirs config are searched before the built-in catalogue, so a team can add stacks or replace built-in ones.';
  static override examples = ['<%= config.bin %> template list', '<%= config.bin %> template list --json', '<%= config.bin %> template list -o wide'];
  static override flags = {output: viewOutputFlag};

  async run() {
    const {flags} = await this.parse(TemplateList);
    const [{loadConfig}, {describeStacks}] = await Promise.all([import('../../config/load.js'), import('../../render/describe.js')]);
    const {values} = await loadConfig();
    const stacks = await describeStacks(values.templateDirs);
    for (const stack of stacks) if (stack.problem) this.warnUser(`${stack.path}: ${stack.problem}`);
    const table = (wide: boolean) =>
      renderTable(
        ['name', 'kind', 'source', 'description', ...(wide ? ['path'] : [])],
        stacks.map((stack) => [stack.name, stack.kind ?? '?', stack.source, stack.description ?? '', ...(wide ? [stack.path] : [])]),
      );
    await this.present(stacks, flags.output, {table: () => table(false), wide: () => table(true)});
    return stacks;
  }
}
