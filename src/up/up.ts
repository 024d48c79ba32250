import type {EffectiveConfig} from '../config/load.js';
import type {ClusterFlags} from '../core/session.js';
import {GshiftError, usageError} from '../errors.js';
import type {Plan, Step} from './plan.js';
import type {PruneCandidate, PruneReport} from './prune.js';
import type {StepOutcome} from './schedule.js';
import type {StepReport, UpHooks} from './steps.js';
import type {TenantFile} from './tenant-file.js';

/**
 * `gshift up`: the whole file checked first (every problem at once), the plan made, then every
 * step run through the services of the single commands, in dependency order and in parallel
 * where independent; with --prune, what the file no longer declares removed at the end.
 */
export interface UpRequest {
  file: string;
  /** Only these environments (default: all the file declares). */
  envs?: string[];
  /** Server-side dry run: validated, admitted and authorised, nothing saved, nothing waited for. */
  dryRun?: boolean;
  prune?: boolean;
  purgeData?: boolean;
  wait: boolean;
  timeoutMs: number;
  tooling: string;
  cluster: ClusterFlags;
  cwd?: string;
}

export interface UpServiceHooks extends UpHooks {
  /** The plan is made and the cluster is about to be contacted. */
  planned?(plan: Plan): void;
  started?(step: Step): void;
  finished?(outcome: StepOutcome<StepReport>): void;
  /** Asked before anything is written when --prune has candidates; throws (or returns false) to stop. */
  confirmPrune?(candidates: readonly PruneCandidate[]): Promise<boolean>;
}

/**
 * Steps at once: most of a step's time is waiting for its rollout (on watches shared per
 * namespace and kind), so a whole tenant's environments and apps can be under way together;
 * the bound keeps a very large file from opening hundreds of requests at once.
 */
const CONCURRENCY = 32;

export interface CheckedFile {
  file: TenantFile;
  config: EffectiveConfig;
}

/** The file read and checked against the schema, the catalogue and the platform's config: every problem at once. */
export async function readCheckedFile(path: string, options: {cwd?: string} = {}): Promise<CheckedFile> {
  const [{loadSessionConfig}, {readTenantFile}, {listStackEntries}, {platformChecks}] = await Promise.all([
    import('../core/session.js'),
    import('./file.js'),
    import('../render/catalogue.js'),
    import('./platform-checks.js'),
  ]);
  const config = await loadSessionConfig({cwd: options.cwd});
  const knownStacks = listStackEntries(config.values.templateDirs).map((entry) => entry.name);
  const file = await readTenantFile(path, {knownStacks, more: (parsed, accepted) => platformChecks(parsed, config.values, accepted, {path})});
  return {file, config};
}

/** The plan for the checked file; unknown --env names are refused. */
export async function planFor(checked: CheckedFile, envs: readonly string[] | undefined): Promise<Plan> {
  const {planUp} = await import('./plan.js');
  const declared = checked.file.spec.environments.map((environment) => environment.name);
  const unknown = (envs ?? []).filter((env) => !declared.includes(env));
  if (unknown.length > 0) throw usageError(`The file declares no environment ${unknown.map((env) => `"${env}"`).join(', ')} (it has ${declared.join(', ')}).`, `pass --env with one of: ${declared.join(', ')}.`);
  return planUp(checked.file, {haByDefault: checked.config.values.haEnvironments, only: envs});
}

export interface UpResult {
  tenant: string;
  file: string;
  dryRun?: 'server';
  plan: Plan;
  outcomes: StepOutcome<StepReport>[];
  pruned: PruneReport[];
  /** Candidates found without --prune: not removed, listed so the user knows. */
  prunable: PruneCandidate[];
  /** The file declares a CI account. */
  ciAccount: boolean;
}

export async function up(request: UpRequest, hooks: UpServiceHooks): Promise<UpResult> {
  const checked = await readCheckedFile(request.file, {cwd: request.cwd});
  const plan = await planFor(checked, request.envs);
  const [{connect}, {runSteps}, {runStep, sessionIn}, {findPrunable, prune}, {tenantPlanOf}] = await Promise.all([
    import('../cluster/index.js'),
    import('./schedule.js'),
    import('./steps.js'),
    import('./prune.js'),
    import('./tenant-plan.js'),
  ]);
  const {file, config} = checked;
  // High availability is the file's say for its environments (default: the config's).
  const effective: EffectiveConfig = {...config, values: {...config.values, haEnvironments: plan.environments.filter((environment) => environment.ha).map((environment) => environment.name)}};
  const tenantPlan = tenantPlanOf(file, plan, effective.values);
  // Many rollouts per namespace at once: their watches of one kind there share one watch.
  const {withSharedWatches} = await import('../cluster/shared-watches.js');
  const cluster = withSharedWatches(await connect({kubeconfig: request.cluster.kubeconfig, context: request.cluster.context}));
  try {
    // What --prune removes is asked about before anything is written; without --prune it is only listed, read beside the steps.
    const candidates = request.prune ? await findPrunable(cluster, plan) : [];
    const listed = request.prune ? Promise.resolve([]) : findPrunable(cluster, plan).catch(() => []);
    if (request.prune && candidates.length > 0 && !request.dryRun && hooks.confirmPrune && !(await hooks.confirmPrune(candidates))) {
      throw usageError('Nothing was changed: the prune was not confirmed.', 'run gshift up without --prune, or confirm the removal.');
    }
    hooks.planned?.(plan);
    const run = {
      cluster,
      file: request.file,
      config: effective,
      plan,
      tenantPlan,
      tenantSettings: {platform: config.values.platform, tooling: request.tooling, ingressNamespaceLabel: config.values.ingressNamespaceLabel, monitoringNamespaceLabel: config.values.monitoringNamespaceLabel},
      tooling: request.tooling,
      dryRun: Boolean(request.dryRun),
      wait: request.wait,
      deadline: Date.now() + request.timeoutMs,
      hooks,
    };
    const outcomes = await runSteps<StepReport>(plan.steps, (step, needed) => runStep(step, run, needed), {
      concurrency: CONCURRENCY,
      onStart: (step) => hooks.started?.(step),
      onFinish: (outcome) => hooks.finished?.(outcome),
    });
    const failed = outcomes.some((outcome) => outcome.status !== 'done');
    // A failed run prunes nothing: what the file no longer declares may be what still serves.
    const sessionFor = (candidate: PruneCandidate) => sessionIn(run, plan.environments.find((environment) => environment.name === candidate.env)!, true);
    const pruned = request.prune && !failed && candidates.length > 0 ? await prune(sessionFor, candidates, {purgeData: Boolean(request.purgeData), dryRun: Boolean(request.dryRun), tooling: request.tooling}) : [];
    return {tenant: plan.tenant, file: request.file, ...(request.dryRun ? {dryRun: 'server' as const} : {}), plan, outcomes, pruned, prunable: await listed, ciAccount: Boolean(file.spec.ciAccount)};
  } finally {
    await cluster.close();
  }
}

/** The error a run with failed steps ends with: the first failure's code, every failure named. */
export function failureOf(result: UpResult): GshiftError | undefined {
  const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length === 0) return undefined;
  const skipped = result.outcomes.filter((outcome) => outcome.status === 'skipped').length;
  const first = failed[0]!.error;
  const code = first instanceof GshiftError ? first.code : 'INTERNAL';
  const causes = failed.map((outcome) => `${outcome.step.id}: ${outcome.error instanceof GshiftError ? outcome.error.sentence : String(outcome.error)}`);
  return new GshiftError(code, `${failed.length} of ${result.outcomes.length} steps failed${skipped ? ` (${skipped} not run because of them)` : ''}: ${causes.join('; ')}`, {
    hint: first instanceof GshiftError && first.hint ? `${first.hint.replace(/\.$/, '')}; then run gshift up again: it converges from where it stopped.` : 'fix the cause and run gshift up again: it converges from where it stopped.',
    details: {failed: failed.map((outcome) => ({step: outcome.step.id, ...(outcome.error instanceof GshiftError ? {code: outcome.error.code, details: outcome.error.details} : {})}))},
  });
}
