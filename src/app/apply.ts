import type {ApplyOutcome, Cluster, KubeObject} from '../cluster/index.js';
import {type ApplyTracker, type ConvergeRequest, type ConvergeResult, converge} from '../converge/engine.js';
import {notFoundError} from '../errors.js';
import {appSet} from './applyset.js';
import {maskSecretChange} from '../core/secret-masking.js';
import {type NamespaceState, readNamespace} from '../core/session.js';

export type {ApplyTracker} from '../converge/engine.js';

export interface AppApplyRequest {
  app: string;
  namespace: string;
  /** The rendered objects, in apply order, without ApplySet labels. */
  objects: KubeObject[];
  /** The inputs to record on the parent (JSON), so later commands can render the app again. */
  inputs: unknown;
  /** Labels for the parent (tenant, env, stack), so `app list` needs no member reads. */
  labels?: Record<string, string>;
  /** "gshift/v0.1.0". */
  tooling: string;
  /** Validate, admit and authorise on the server without persisting anything. */
  dryRun?: boolean;
  /** Take over fields other managers own (rollback restores a whole pod template). */
  force?: boolean;
  /** Prune volume claims too (never by default: they hold data). */
  purgeData?: boolean;
  /** The app's parent as the caller just read it (null: none), so the converge does not read it again. */
  recorded?: ConvergeRequest['recorded'];
  /** With dryRun: the namespace does not exist yet (see ConvergeRequest). */
  namespacePending?: boolean;
  /** The namespace was made by the same run and holds nothing (see ConvergeRequest.emptyNamespace). */
  emptyNamespace?: boolean;
}

export type AppApplyResult = Omit<ConvergeResult, 'skipped'>;

/**
 * The namespace must exist before anything is written. A user who may not read namespaces
 * (common for tenant developers) is not stopped here: the dry run below finds a missing one.
 * `known` is what the session already found (openSession with readNamespace): not read again.
 */
export async function requireNamespace(cluster: Cluster, namespace: string, hint: string, known?: NamespaceState): Promise<void> {
  const state = known ?? (await readNamespace(cluster, namespace)).state;
  if (state === 'missing') throw notFoundError(`The namespace "${namespace}" does not exist.`, hint, {namespace});
}

/**
 * Applies an app as an ApplySet through the converge engine: rehearsed on the server first (a new
 * app is undone instead when refused), then the parent, the members in order, the autoscaler's
 * minimum seeded, the prune, the parent again.
 */
export async function applyApp(cluster: Cluster, request: AppApplyRequest, tracker: ApplyTracker = {applied: []}): Promise<AppApplyResult> {
  const {app, namespace} = request;
  const set = appSet({app, namespace, tooling: request.tooling, labels: request.labels, inputs: JSON.stringify(request.inputs)});
  const {skipped: _skipped, ...result} = await converge(
    cluster,
    {
      set,
      objects: request.objects,
      recorded: request.recorded,
      dryRun: request.dryRun,
      namespacePending: request.namespacePending,
      emptyNamespace: request.emptyNamespace,
      force: request.force,
      purgeData: request.purgeData,
      // A new app is not rehearsed: it is undone when refused (see ConvergeRequest.rehearse).
      rehearse: 'unless-new',
      beforeApply: (rehearsed) => handOverToAutoscaler(cluster, namespace, rehearsed),
      afterApply: (outcomes) => scaleToAutoscalerMinimum(cluster, namespace, outcomes),
    },
    tracker,
  );
  return {...result, outcomes: result.outcomes.map(withoutSecretValues)};
}

/** Results are printed (--json, gshift diff): a Secret's values never are, before or after. */
export const withoutSecretValues = (outcome: ApplyOutcome): ApplyOutcome => {
  const {before, after} = maskSecretChange(outcome.before, outcome.object);
  return {...outcome, object: after, ...(before ? {before} : {})};
};

/**
 * In high-availability environments the render leaves spec.replicas to the autoscaler, so a new
 * Deployment starts at 1 until the autoscaler's next sync. Scaling it to the autoscaler's
 * minimum through the scale subresource (not the apply, which must keep leaving the field alone)
 * makes it start highly available and lets the rollout wait for all of them.
 */
async function scaleToAutoscalerMinimum(cluster: Cluster, namespace: string, outcomes: readonly ApplyOutcome[]): Promise<void> {
  for (const outcome of outcomes) {
    if (outcome.ref.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = outcome.object.spec as {minReplicas?: number; scaleTargetRef?: {apiVersion?: string; kind?: string; name?: string}} | undefined;
    const target = outcomes.find((candidate) => candidate.ref.kind === spec?.scaleTargetRef?.kind && candidate.ref.name === spec?.scaleTargetRef?.name);
    const replicas = (target?.object.spec as {replicas?: number} | undefined)?.replicas ?? 0;
    if (!target || !spec?.minReplicas || replicas >= spec.minReplicas) continue;
    await cluster.patch(target.ref, {spec: {replicas: spec.minReplicas}}, {type: 'merge', subresource: 'scale', fieldManager: 'gshift-autoscaler'});
  }
}

/** The field manager of gshift's writes to the replica count outside the app's apply (the apply's own is "gshift"). */
export const SCALE_MANAGER = 'gshift-scale';

/**
 * Kubernetes' documented hand-over of a count to an autoscaler: another field manager applies
 * the current count first, so that the app's own apply, which leaves spec.replicas out from now
 * on, does not reset it to 1 (a field no manager applies any more is removed).
 */
export async function handOverCount(cluster: Cluster, namespace: string, app: string, replicas: number): Promise<void> {
  await cluster.patch(
    {apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace},
    {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: app, namespace}, spec: {replicas}},
    {type: 'apply', fieldManager: SCALE_MANAGER, force: true},
  );
}

/**
 * An app that gains an autoscaler (gshift.yaml's autoscaling on a running app): the rehearsal
 * shows its Deployment dropping to the default count, since the apply no longer sets one. The
 * count it runs (within the autoscaler's bounds) is handed over first, so it keeps running it.
 */
async function handOverToAutoscaler(cluster: Cluster, namespace: string, rehearsed: readonly ApplyOutcome[]): Promise<void> {
  for (const outcome of rehearsed) {
    if (outcome.ref.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = outcome.object.spec as {minReplicas?: number; maxReplicas?: number; scaleTargetRef?: {kind?: string; name?: string}} | undefined;
    const target = rehearsed.find((candidate) => candidate.ref.kind === spec?.scaleTargetRef?.kind && candidate.ref.name === spec?.scaleTargetRef?.name);
    const running = (target?.before?.spec as {replicas?: number} | undefined)?.replicas;
    const after = (target?.object.spec as {replicas?: number} | undefined)?.replicas;
    if (!target || running === undefined || after === undefined || after >= running) continue;
    await handOverCount(cluster, namespace, target.ref.name, Math.min(Math.max(running, spec?.minReplicas ?? 1), spec?.maxReplicas ?? running));
  }
}
