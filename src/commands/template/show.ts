import * as Args from '@oclif/core/args';

import {GshiftCommand} from '../../base-command.js';
import {renderFields, renderTable} from '../../ui/table.js';

export default class TemplateShow extends GshiftCommand {
  static override summary = 'Show a stack or template: what it is, its parameters, its objects and the standards that apply.';
  static override examples = ['<%= config.bin %> template show postgresql', '<%= config.bin %> template show ./my-template.yaml --json'];
  static override args = {template: Args.string({description: 'A stack name (see `gshift template list`) or a template file.', required: true})};

  async run() {
    const {args} = await this.parse(TemplateShow);
    const [{loadConfig}, {describeTemplate}] = await Promise.all([import('../../config/load.js'), import('../../render/describe.js')]);
    const {values} = await loadConfig();
    const shown = await describeTemplate(args.template, values.templateDirs);
    this.print(renderFields(shown.fields));
    this.print(`\nParameters:\n${renderTable(['name', 'default', 'required', 'description'], shown.parameters.map((p) => [p.name, p.default, p.required ? 'yes' : '', p.description]))}`);
    this.print(`\nObjects:\n${renderTable(['kind', 'name'], shown.objects.map((object) => [object.kind, object.name]))}`);
    if (shown.standards.length > 0) this.print(`\nPlatform standards:\n${renderTable(['standard', 'mode', 'reason'], shown.standards.map((s) => [s.standard, s.mode, s.reason ?? '']))}`);
    return shown.result;
  }
}
