import type {ApplyOutcome, Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import type {EffectiveConfig} from '../config/load.js';
import type {Session} from '../core/session.js';
import type {RolloutProgress} from '../rollout/progress.js';
import type {ConvergeSettings} from '../tenant/converge.js';
import type {TenantPlan} from '../tenant/settings.js';
import type {EnvironmentInFile} from './environments.js';
import type {Plan, Step, StepKind} from './plan.js';

/**
 * Each kind of plan step, done by the service the single commands use: the tenant's converge
 * for an environment, `db create` for a database (its high availability and backup schedule
 * are its inputs), `cert add`'s Secret or `cert issue`'s Certificate for a certificate, `app
 * create` for an app (its autoscaler and certificate are its stored inputs, as `gshift scale`
 * and `gshift cert` keep them), then their rollouts followed as those commands follow them.
 */
export interface UpRun {
  cluster: Cluster;
  /** The gshift.yaml (a certificate's files are read beside it). */
  file: string;
  /** The effective config, with the file's high-availability environments. */
  config: EffectiveConfig;
  plan: Plan;
  /** The tenant's part of every environment (planCreate of the file's tenant settings). */
  tenantPlan: TenantPlan;
  tenantSettings: ConvergeSettings;
  tooling: string;
  /** Server-side dry run: nothing written, nothing waited for. */
  dryRun: boolean;
  wait: boolean;
  /** When waiting must have ended (Date.now() based). */
  deadline: number;
  hooks: UpHooks;
  signal?: AbortSignal;
}

export interface UpHooks {
  /** What a step is doing now: "applying", "rolling out", … */
  phase(step: Step, text: string): void;
  rollout(step: Step, progress: RolloutProgress): void;
  note(text: string): void;
  warn(text: string): void;
}

export type StepAction = 'created' | 'updated' | 'unchanged';

/** One object's change, for `gshift diff` (dry runs only): before is undefined for a new object; Secret values masked. */
export interface ObjectChange {
  ref: ObjectRef;
  action: ApplyOutcome['action'];
  before?: KubeObject;
  after: KubeObject;
}

export interface StepReport {
  action: StepAction;
  namespace: string;
  /** Kind/name of each object by what happened to it. */
  objects: {created: string[]; configured: string[]; unchanged: string[]};
  pruned: string[];
  /** Members kept because they hold data. */
  kept: string[];
  url?: string;
  warnings: string[];
  rollout?: {elapsedMs: number; ready: number; desired: number};
  /** Dry runs: each object's change. */
  changes?: ObjectChange[];
  /** Environment steps of a dry run: the namespace does not exist yet. */
  namespacePending?: boolean;
}

type Runner = (step: Step, run: UpRun, needed: ReadonlyMap<string, StepReport>) => Promise<StepReport>;

/** How each kind of step is run. */
export const STEP_RUNNERS: Record<StepKind, Runner> = {
  environment: runEnvironment,
  database: runDatabase,
  certificate: runCertificate,
  app: runApp,
};

export function runStep(step: Step, run: UpRun, needed: ReadonlyMap<string, StepReport>): Promise<StepReport> {
  return STEP_RUNNERS[step.kind](step, run, needed);
}

const environmentOf = (run: UpRun, step: Step): EnvironmentInFile => run.plan.environments.find((environment) => environment.name === step.env)!;
const key = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;

function byAction(outcomes: readonly ApplyOutcome[]): StepReport['objects'] {
  const of = (action: ApplyOutcome['action']) => outcomes.filter((outcome) => outcome.action === action).map((outcome) => key(outcome.ref));
  return {created: of('created'), configured: of('configured'), unchanged: of('unchanged')};
}

function changesOf(run: UpRun, outcomes: readonly ApplyOutcome[]): ObjectChange[] | undefined {
  if (!run.dryRun) return undefined;
  return outcomes.map((outcome) => ({ref: outcome.ref, action: outcome.action, ...(outcome.before ? {before: outcome.before} : {}), after: outcome.object}));
}

/** The namespace a dependant works in is missing in a dry run when its environment step says so. */
const pendingIn = (needed: ReadonlyMap<string, StepReport>) => [...needed.values()].some((report) => report.namespacePending);
/** The environment step of this run made the namespace: nothing in it to protect with a rehearsal. */
const freshIn = (needed: ReadonlyMap<string, StepReport>, step: Step) => [...needed].some(([id, report]) => id.startsWith(`${step.env}/environment/`) && report.action === 'created');

async function runEnvironment(step: Step, run: UpRun): Promise<StepReport> {
  const {convergeTenant} = await import('../tenant/converge.js');
  const environment = environmentOf(run, step);
  const envPlan = run.tenantPlan.environments.find((entry) => entry.env === environment.name)!;
  run.hooks.phase(step, run.dryRun ? 'checking (server dry run)' : 'converging');
  const report = await convergeTenant(run.cluster, {...run.tenantPlan, environments: [envPlan]}, {...run.tenantSettings, dryRun: run.dryRun}, {warn: run.hooks.warn});
  const [converged] = report.environments;
  const namespaceKey = `Namespace/${environment.namespace}`;
  const created = converged!.created.includes(namespaceKey) || converged!.projectRequested;
  return {
    action: created ? 'created' : report.changed ? 'updated' : 'unchanged',
    namespace: environment.namespace,
    objects: {created: converged!.created, configured: converged!.configured, unchanged: converged!.unchanged},
    pruned: converged!.deleted,
    kept: [],
    warnings: [],
    ...(run.dryRun ? {changes: changesOf(run, converged!.outcomes ?? []), namespacePending: created} : {}),
  };
}

/** A session in the environment's namespace, as `-n <tenant>-<env>` would give. */
export function sessionIn(run: Pick<UpRun, 'cluster' | 'config' | 'plan'>, environment: EnvironmentInFile, namespaceExists: boolean): Session {
  return {
    cluster: run.cluster,
    config: run.config,
    target: {namespace: environment.namespace, tenant: run.plan.tenant, env: environment.name, source: 'tenant and env', environmentSource: 'flags'},
    ...(namespaceExists ? {namespaceState: 'exists' as const} : {}),
  };
}

const remaining = (run: UpRun) => Math.max(1000, run.deadline - Date.now());

/** How many scheduled dumps a backup keeps when the file does not say (db backup --keep's default). */
const DEFAULT_BACKUPS_KEPT = 7;

async function runDatabase(step: Step, run: UpRun, needed: ReadonlyMap<string, StepReport>): Promise<StepReport> {
  const [{createDatabase}, {followCluster, followDatabase, statefulSetReady, writtenStatefulSet}, {clusterState}] = await Promise.all([import('../db/create.js'), import('../db/wait.js'), import('../db/ha.js')]);
  const environment = environmentOf(run, step);
  const database = environment.databases.find((entry) => entry.name === step.name)!;
  const pending = pendingIn(needed);
  const attached = environment.apps.flatMap((app) => app.databases.filter((binding) => binding.database === database.name).map((binding) => ({app: app.name, prefix: binding.prefix})));
  run.hooks.phase(step, run.dryRun ? 'checking (server dry run)' : 'applying');
  const {fields} = database;
  const result = await createDatabase(sessionIn(run, environment, !pending), {
    flags: {
      name: database.name,
      engine: database.engine,
      env: environment.name,
      tenant: run.plan.tenant,
      ...(fields.version !== undefined ? {version: fields.version} : {}),
      ...(fields.size !== undefined ? {size: fields.size} : {}),
      ...(fields.storageClass !== undefined ? {storageClass: fields.storageClass} : {}),
      // Left out, both are kept as db create keeps them: a database does not leave high availability by omission.
      ...(fields.ha ? {ha: true} : {}),
      ...(fields.backup ? {backup: {schedule: fields.backup.schedule, keep: fields.backup.keep ?? DEFAULT_BACKUPS_KEPT}} : {}),
    },
    attached,
    serverDryRun: run.dryRun,
    namespacePending: pending,
    emptyNamespace: freshIn(needed, step),
    tooling: run.tooling,
  });
  const report = reportOf(run, result, environment.namespace, result.created);
  if (run.dryRun || !run.wait) return report;
  // Nothing changed: the rehearsal answered with the StatefulSet (or CloudNativePG Cluster) as stored, status included.
  const stored = result.outcomes.find((outcome) => outcome.ref.kind === (result.ha ? 'Cluster' : 'StatefulSet'))?.object;
  const ready = result.ha ? clusterState(stored as Parameters<typeof clusterState>[0]).ready : statefulSetReady(stored as Parameters<typeof statefulSetReady>[0]);
  if (!result.changed && ready) return report;
  run.hooks.phase(step, 'rolling out');
  const follow = result.ha ? followCluster : followDatabase;
  const rollout = await follow(run.cluster, {namespace: environment.namespace, name: result.statefulSet, timeoutMs: remaining(run), known: writtenStatefulSet(result), onUpdate: (progress) => run.hooks.rollout(step, progress), onNote: run.hooks.note, ...(run.signal ? {signal: run.signal} : {})});
  return {...report, rollout: {elapsedMs: rollout.elapsedMs, ready: rollout.progress.ready, desired: rollout.progress.desired}};
}

async function runApp(step: Step, run: UpRun, needed: ReadonlyMap<string, StepReport>): Promise<StepReport> {
  const [{createApp}, {bindingValue}, {findEngine}, {autoscaleOf}] = await Promise.all([import('../app/create.js'), import('../db/binding.js'), import('../db/engines.js'), import('./environments.js')]);
  const environment = environmentOf(run, step);
  const app = environment.apps.find((entry) => entry.name === step.name)!;
  const pending = pendingIn(needed);
  const {fields} = app;
  const pairs = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([name, value]) => `${name}=${value}`);
  const databases = Object.fromEntries(
    app.databases.map((binding) => {
      const engine = findEngine(environment.databases.find((database) => database.name === binding.database)!.engine);
      return [binding.prefix, bindingValue({engine: engine.name, database: binding.database})];
    }),
  );
  const autoscale = autoscaleOf(app);
  run.hooks.phase(step, run.dryRun ? 'checking (server dry run)' : 'applying');
  const result = await createApp(sessionIn(run, environment, !pending), {
    flags: {
      name: app.name,
      stack: app.stack,
      ...(fields.image !== undefined ? {image: fields.image} : {}),
      ...(fields.port !== undefined ? {port: fields.port} : {}),
      ...(fields.replicas !== undefined ? {replicas: fields.replicas} : {}),
      ...(fields.storage !== undefined ? {storage: fields.storage} : {}),
      ...(fields.host !== undefined ? {host: fields.host} : {}),
      ...(fields.params ? {param: pairs(fields.params)} : {}),
    },
    replace: {
      ...(fields.env && Object.keys(fields.env).length > 0 ? {envVars: fields.env} : {}),
      ...(Object.keys(databases).length > 0 ? {databases} : {}),
      ...(fields.secretEnv && Object.keys(fields.secretEnv).length > 0 ? {secretRefs: fields.secretEnv} : {}),
    },
    declared: {...(autoscale ? {autoscale} : {}), ...(app.certificate ? {certificate: app.certificate} : {})},
    serverDryRun: run.dryRun,
    namespacePending: pending,
    emptyNamespace: freshIn(needed, step),
    tooling: run.tooling,
  });
  const exposure = result.outcomes.find((outcome) => outcome.ref.kind === 'Route' || outcome.ref.kind === 'Ingress');
  const {urlOf} = await import('../app/health.js');
  const url = urlOf(exposure?.object);
  const report = {...reportOf(run, result, environment.namespace, result.created), ...(url ? {url} : {})};
  if (run.dryRun || !run.wait || result.deployments.length === 0) return report;
  const [{waitForRollout}, {unhealthyApp}, {replicasOf}] = await Promise.all([import('../app/wait.js'), import('../app/status.js'), import('../app/health.js')]);
  if (!result.changed) {
    // Nothing changed: the rehearsal answered with the Deployments as stored; a complete rollout needs no further read.
    const stored = result.outcomes.filter((outcome) => outcome.ref.kind === 'Deployment').map((outcome) => outcome.object as Parameters<typeof replicasOf>[0]);
    if (stored.length === result.deployments.length && stored.every((deployment) => replicasOf(deployment).complete)) return report;
    const problem = await unhealthyApp(run.cluster, environment.namespace, result.deployments);
    if (!problem) return report;
    run.hooks.note(`${environment.name}/${app.name} is not healthy (${problem}); following its rollout.`);
  }
  run.hooks.phase(step, 'rolling out');
  const rollouts = await waitForRollout(run.cluster, {
    app: app.name,
    namespace: environment.namespace,
    deployments: result.deployments,
    timeoutMs: remaining(run),
    onUpdate: (progress) => run.hooks.rollout(step, progress),
    onNote: run.hooks.note,
    ...(run.signal ? {signal: run.signal} : {}),
  });
  const last = rollouts.at(-1)!;
  return {...report, rollout: {elapsedMs: rollouts.reduce((total, rollout) => total + rollout.elapsedMs, 0), ready: last.progress.ready, desired: last.progress.desired}};
}

async function runCertificate(step: Step, run: UpRun, needed: ReadonlyMap<string, StepReport>): Promise<StepReport> {
  const [{convergeCertificate}, {certificateFiles}] = await Promise.all([import('../cert/declared.js'), import('./certificate-checks.js')]);
  const environment = environmentOf(run, step);
  const certificate = environment.certificates.find((entry) => entry.name === step.name)!;
  const pending = pendingIn(needed);
  run.hooks.phase(step, run.dryRun ? 'checking (server dry run)' : 'applying');
  const result = await convergeCertificate(
    sessionIn(run, environment, !pending),
    {
      name: certificate.name,
      // The file check made sure there is one.
      host: certificate.host!,
      ...(certificate.files ? {files: certificateFiles(run.file, certificate.files)} : {issuer: {...(certificate.issuer ? {issuer: certificate.issuer} : {}), ...(certificate.clusterIssuer ? {clusterIssuer: certificate.clusterIssuer} : {})}}),
    },
    {dryRun: run.dryRun, namespacePending: pending, wait: run.wait, timeoutMs: remaining(run), onIssuing: () => run.hooks.phase(step, 'issuing (cert-manager)')},
  );
  const {outcome} = result;
  return {
    action: outcome.action === 'created' ? 'created' : outcome.action === 'configured' ? 'updated' : 'unchanged',
    namespace: environment.namespace,
    objects: byAction([outcome]),
    pruned: [],
    kept: [],
    warnings: result.warnings,
    ...(run.dryRun ? {changes: changesOf(run, [outcome])} : {}),
  };
}

function reportOf(run: UpRun, result: {changed: boolean; outcomes: ApplyOutcome[]; pruned: ObjectRef[]; kept: ObjectRef[]; warnings: string[]; parent?: ApplyOutcome}, namespace: string, created: boolean): StepReport {
  const changes = changesOf(run, [...(result.parent ? [result.parent] : []), ...result.outcomes]);
  return {
    action: created ? 'created' : result.changed ? 'updated' : 'unchanged',
    namespace,
    objects: byAction(result.outcomes),
    pruned: result.pruned.map(key),
    kept: result.kept.map(key),
    warnings: result.warnings,
    ...(changes ? {changes} : {}),
  };
}
