import * as Args from '@oclif/core/args';
import {Command} from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import {loadHelpClass} from '@oclif/core/help';

/**
 * `gshift help [COMMAND]`: oclif's own help, as `--help` shows it. A command of gshift's rather
 * than @oclif/plugin-help's: oclif loads every plugin at every start (each one costs a
 * dependency scan), and this one only adds this command.
 */
export default class Help extends Command {
  static override summary = 'Display help for <%= config.bin %>.';
  static override args = {command: Args.string({description: 'The command (or topic) to show help for.', required: false})};
  static override flags = {'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'})};
  static override strict = false;

  async run() {
    const {argv, flags} = await this.parse(Help);
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(argv as string[]);
  }
}
