// A team's project as test data (test/fixtures/team-project): a gshift config whose templateDirs
// holds the team's own stacks. `wiki` is an app whose template generates a password into a
// Secret and claims its own volume, the app features the catalogue's app stacks do not have.
import {join} from 'node:path';

import {repoRoot} from './cli.ts';

/** Run gshift with this as the working directory to use the team's config and stacks. */
export const TEAM_PROJECT = join(repoRoot, 'test', 'fixtures', 'team-project');
/** The team's template directory, for code that takes templateDirs directly. */
export const TEAM_STACKS = join(TEAM_PROJECT, 'stacks');
