import {renderFields, renderTable} from './table.js';
import type {ConvergeReport, EnvironmentReport} from '../tenant/converge.js';
import type {DoomedNamespace} from '../tenant/delete.js';
import type {TenantListing} from '../tenant/list.js';
import {addQuantities, formatQuantity, parseQuantity} from '../core/quantity.js';
import type {EnvironmentDetails, TenantDetails} from '../tenant/show.js';
import type {QuotaUse} from '../tenant/namespaces.js';

/** How tenants look on a terminal: text only, the commands print it. */

const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar in eighths of a block: 20 cells show use to 0.6 %. Over 100 % fills and is marked. */
export function quotaBar(fraction: number, width = 20): string {
  const eighths = Math.round(Math.min(Math.max(fraction, 0), 1) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIAL[eighths % 8]!;
  return '█'.repeat(full) + partial + '░'.repeat(width - full - (partial ? 1 : 0));
}

export function describeChanges(report: EnvironmentReport): string {
  const parts: string[] = [];
  if (report.projectRequested) parts.push('requested as an OpenShift project');
  if (report.created.length > 0) parts.push(report.created.length > 3 ? `created ${report.created.length} objects` : `created ${report.created.join(', ')}`);
  if (report.configured.length > 0) parts.push(`updated ${report.configured.join(', ')}`);
  if (report.deleted.length > 0) parts.push(`removed ${report.deleted.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'unchanged';
}

export function renderConvergeReport(report: ConvergeReport, outcome: 'is ready' | 'was updated' | 'would be ready' | 'would be updated' = 'is ready'): string {
  if (!report.changed) return `No changes: tenant ${report.tenant} is up to date.`;
  const table = renderTable(
    ['environment', 'namespace', 'changes'],
    report.environments.map((env) => [env.env, env.namespace, describeChanges(env)]),
  );
  const count = report.environments.length;
  return `${table}\n\nTenant ${report.tenant} ${outcome}: ${count} environment${count === 1 ? '' : 's'}.`;
}

const LIST_COLUMNS = [
  ['cpu', 'requests.cpu', 'decimal'],
  ['memory', 'requests.memory', 'binary'],
  ['storage', 'requests.storage', 'binary'],
  ['pods', 'pods', 'decimal'],
] as const;

/** Sums one quota item over a tenant's environments: "used/hard". */
function total(environments: TenantListing['environments'], key: string, format: 'binary' | 'decimal'): string {
  const items = environments.flatMap((env) => env.quota.filter((use) => use.key === key));
  if (items.length === 0) return '-';
  const sum = (values: string[]) => formatQuantity(addQuantities(values.map((value) => parseQuantity(value) ?? {nanos: 0n, format}), format));
  return `${sum(items.map((use) => use.used))}/${sum(items.map((use) => use.hard))}`;
}

export function renderTenantList(tenants: TenantListing[], options: {wide?: boolean} = {}): string {
  if (tenants.length === 0) return 'No tenants yet: create one with gshift tenant create NAME.';
  if (options.wide) {
    // One row per environment: its namespace, phase and its own quota use.
    return renderTable(
      ['tenant', 'env', 'namespace', 'phase', ...LIST_COLUMNS.map(([label]) => label)],
      tenants.flatMap((tenant) => tenant.environments.map((env) => [tenant.name, env.env, env.namespace, env.phase, ...LIST_COLUMNS.map(([, key, format]) => total([env], key, format))])),
    );
  }
  return renderTable(
    ['tenant', 'environments', ...LIST_COLUMNS.map(([label]) => label)],
    tenants.map((tenant) => [
      tenant.name,
      tenant.environments.map((env) => (env.phase === 'Terminating' ? `${env.env} (deleting)` : env.env)).join(', '),
      ...LIST_COLUMNS.map(([, key, format]) => total(tenant.environments, key, format)),
    ]),
  );
}

function quotaLines(quota: QuotaUse[]): string[] {
  const width = Math.max(...quota.map((use) => use.key.length));
  return quota.map((use) => {
    const percent = `${Math.round(use.fraction * 100)}%`;
    const over = use.fraction > 1 ? '  over quota' : '';
    return `  ${use.key.padEnd(width)}  ${quotaBar(use.fraction)}  ${`${use.used} / ${use.hard}`.padEnd(14)} ${percent.padStart(4)}${over}`;
  });
}

function renderEnvironment(env: EnvironmentDetails): string {
  const members = env.members.length > 0 ? env.members.map((member) => `${member.role} (${member.clusterRole}): ${member.subjects.join(', ')}`) : ['nobody yet'];
  const fields = renderFields([
    ['Namespace', `${env.namespace}${env.phase === 'Active' ? '' : ` (${env.phase})`}`],
    ['Pod Security', env.podSecurity],
    ['Members', members.join('\n' + ' '.repeat('Pod Security: '.length))],
    ['Policies', env.policies.join(', ') || 'none'],
    ['CI account', env.ciAccount ? 'yes (gshift tenant ci-kubeconfig)' : 'no'],
  ]);
  const quota = env.quota.length > 0 ? ['Quota:', ...quotaLines(env.quota)].join('\n') : 'Quota: none';
  return `${env.env}\n${indent(fields)}\n${indent(quota)}`;
}

const indent = (text: string) => text.replace(/^/gm, '  ');

export function renderTenantDetails(tenant: TenantDetails): string {
  return [`Tenant ${tenant.name}`, ...tenant.environments.map(renderEnvironment)].join('\n\n');
}

/** What `tenant delete` is about to remove, one line per namespace. */
export function renderDoomed(doomed: DoomedNamespace[]): string {
  return doomed
    .map((entry) => {
      const contents = Object.entries(entry.contents).map(([noun, count]) => `${count} ${noun}${count === 1 ? '' : 's'}`);
      return `  ${entry.namespace}${contents.length > 0 ? ` with ${contents.join(', ')}` : ' (empty)'}`;
    })
    .join('\n');
}
