import type {DiffResult} from '../up/diff.js';
import type {Plan} from '../up/plan.js';
import type {UpSummary} from '../up/summary.js';
import {renderTable} from './table.js';
import {colours} from './terminal.js';

/** What `gshift up` prints for people (strings only; the command writes them). */

/** The plan, as `up --dry-run` (client) prints it: the steps per environment, each with what it waits for. */
export function planView(plan: Plan): string {
  const rows = plan.steps.map((step) => [step.env, step.kind === 'environment' ? 'namespace' : step.kind, step.name, step.needs.length > 0 ? step.needs.join(', ') : '-']);
  return `${renderTable(['env', 'step', 'name', 'after'], rows)}\n\n${plan.steps.length} steps for tenant ${plan.tenant}; nothing was sent to a cluster (client dry run).`;
}

export function upSummaryView(summary: UpSummary): string {
  const sections: string[] = [];
  sections.push(
    renderTable(
      ['env', 'namespace', 'created', 'updated', 'unchanged', 'pruned', ...(summary.environments.some((environment) => environment.failed + environment.skipped > 0) ? ['failed', 'not run'] : [])],
      summary.environments.map((environment) => [
        environment.env,
        environment.namespace,
        names(environment, 'created'),
        names(environment, 'updated'),
        String(environment.unchanged),
        environment.pruneReports.length > 0 ? environment.pruneReports.map((report) => report.name).join(', ') : '-',
        ...(environment.failed + environment.skipped > 0 ? [names(environment, 'failed'), names(environment, 'skipped')] : []),
      ]),
    ),
  );
  const kept = summary.environments.flatMap((environment) => environment.pruneReports.filter((report) => report.kept.length > 0).map((report) => `${environment.env}/${report.name}: kept ${report.kept.join(', ')} (--purge-data removes them)`));
  if (kept.length > 0) sections.push(`Data kept:\n${kept.map((line) => `  ${line}`).join('\n')}`);
  if (summary.urls.length > 0) sections.push(`URLs:\n${renderTable(['env', 'app', 'url'], summary.urls.map((entry) => [entry.env, entry.app, entry.url])).split('\n').slice(1).map((line) => `  ${line}`).join('\n')}`);
  if (summary.prunable.length > 0) {
    sections.push(`Not in the file, left as they are (gshift up --prune removes them):\n${summary.prunable.map((candidate) => `  ${candidate.env}/${candidate.kind}/${candidate.name}`).join('\n')}`);
  }
  if (summary.ciKubeconfig) sections.push(`CI account: a kubeconfig for each environment's pipeline with\n${summary.ciKubeconfig.map((command) => `  ${command}`).join('\n')}`);
  const verdict = summary.dryRun ? 'Nothing was saved (server dry run).' : summary.changed ? `Tenant ${summary.tenant} is up to date with ${summary.file}.` : `No changes: tenant ${summary.tenant} already matches ${summary.file}.`;
  sections.push(verdict);
  return sections.join('\n\n');
}

/** The names of an environment's steps with that status, or their count when there are many. */
function names(environment: UpSummary['environments'][number], status: 'created' | 'updated' | 'failed' | 'skipped'): string {
  const steps = environment.steps.filter((step) => step.status === status);
  if (steps.length === 0) return '-';
  const listed = steps.map((step) => (step.kind === 'environment' ? 'namespace' : step.name));
  return listed.length > 4 ? String(listed.length) : listed.join(', ');
}

/** `gshift diff` for people: the diffs (coloured on a terminal), what --prune would remove, and the verdict. */
export async function diffView(result: DiffResult): Promise<string> {
  const chalk = await colours('stdout');
  const colour = (line: string) =>
    line.startsWith('+++') || line.startsWith('---') ? chalk.bold(line) : line.startsWith('@@') ? chalk.cyan(line) : line.startsWith('+') ? chalk.green(line) : line.startsWith('-') ? chalk.red(line) : line;
  const sections = result.objects.map((object) => object.diff.split('\n').map(colour).join('\n'));
  if (result.prunable.length > 0) {
    sections.push(`Not in the file (gshift up --prune removes them):\n${result.prunable.map((candidate) => `  ${candidate.env}/${candidate.kind}/${candidate.name} in ${candidate.namespace}`).join('\n')}`);
  }
  if (result.inSync) sections.push(`No differences: the cluster matches ${result.file}.`);
  return sections.join('\n\n');
}
