import {GshiftCommand} from '../../base-command.js';
import {loadConfig} from '../../config/load.js';
import {CONFIG_KEYS} from '../../config/schema.js';
import {renderTable} from '../../ui/table.js';

export default class ConfigShow extends GshiftCommand {
  static override summary = 'Print the effective configuration and where each value came from.';
  static override description =
    'gshift reads gshift.config.{json,yaml,mjs,ts}, .gshiftrc* or a "gshift" key in package.json, searched from the working directory up to the repository root, on top of a user-level file ($XDG_CONFIG_HOME/gshift/config.yaml or $GSHIFT_CONFIG). Flags override all of them.';
  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json'];

  async run() {
    await this.parse(ConfigShow);
    const effective = await loadConfig();
    // Every setting, set or not, in the schema's order: a reader sees what could be configured.
    const rows = (Object.keys(CONFIG_KEYS) as (keyof typeof CONFIG_KEYS)[]).map((key) => {
      const value = effective.values[key];
      return [key, Array.isArray(value) ? value.join(', ') : (value ?? '(not set)'), value === undefined ? '-' : effective.sources[key]];
    });
    this.print(renderTable(['key', 'value', 'source'], rows));
    return {values: effective.values, sources: effective.sources, files: effective.files};
  }
}
