import * as Flags from '@oclif/core/flags';

import {GshiftCommand} from '../base-command.js';
import {clusterFlags} from '../flags.js';
import {fileFlag, upEnvFlag} from '../up-flags.js';

export default class Diff extends GshiftCommand {
  static override summary = 'Show what gshift up would change, as a unified diff per object; exit 14 when the cluster differs from gshift.yaml.';
  static override description =
    'Runs the plan of gshift up as a server-side dry run (the cluster validates, admits and defaults every object, nothing is saved) and prints, per object that would change, a unified diff of the cluster\'s version against the file\'s, leaving out what the server manages (managedFields, resourceVersion, status, …) and, for new objects, the server\'s defaults. Secret values are masked (a changed one shows as "•••• (changed)"). Exit 0: in sync. Exit 14: drift (a distinct code, so a CI gate can tell drift from failure: any other non-zero code is an error). Apps, databases and certificates the file no longer declares are listed; with --prune they count as drift.';
  static override examples = ['<%= config.bin %> diff', '<%= config.bin %> diff -f deploy/gshift.yaml --env prod', '<%= config.bin %> diff --prune --json'];
  static override flags = {
    file: fileFlag,
    env: upEnvFlag,
    prune: Flags.boolean({description: 'Count the apps, databases and certificates gshift created that the file no longer declares (what up --prune removes) as drift.', default: false}),
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
  };

  async run() {
    const {flags} = await this.parse(Diff);
    const [{diffFile, driftError}, {diffView}] = await Promise.all([import('../up/diff.js'), import('../ui/up-views.js')]);
    const result = await diffFile({file: flags.file, envs: flags.env, prune: flags.prune, tooling: `gshift/v${this.config.version}`, cluster: flags}, {note: (text) => this.note(text), warn: (text) => this.warnUser(text)});
    this.print(await diffView(result));
    if (!result.inSync) throw driftError(result);
    return result;
  }
}
