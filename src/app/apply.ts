import type {ApplyOutcome, Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import {GshiftError, notFoundError} from '../errors.js';
import {appApplysetId, applysetParent, asMembers, groupKindsOf, planPrune} from './applyset.js';
import {listMembers, readRecord} from './inventory.js';
import {maskSecretValues} from './secret-values.js';

/** What the interrupted-run message reads while an apply is under way. */
export interface ApplyTracker {
  applied: ObjectRef[];
  namespace?: string;
}

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
}

export interface AppApplyResult {
  /** The members' outcomes, in apply order (the parent is bookkeeping and not listed). */
  outcomes: ApplyOutcome[];
  pruned: ObjectRef[];
  /** Claims the new render no longer has, kept because they hold data. */
  kept: ObjectRef[];
  /** False when the cluster already matched: nothing was written. */
  changed: boolean;
  /** Warnings the API server sent (Pod Security "would violate", deprecations), de-duplicated. */
  warnings: string[];
}

const refOf = (object: KubeObject, namespace: string): ObjectRef => ({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace});

/**
 * The namespace must exist before anything is written. A user who may not read namespaces
 * (common for tenant developers) is not stopped here: the dry run below finds a missing one.
 */
export async function requireNamespace(cluster: Cluster, namespace: string, hint: string): Promise<void> {
  try {
    const found = await cluster.get({apiVersion: 'v1', kind: 'Namespace', name: namespace});
    if (!found) throw notFoundError(`The namespace "${namespace}" does not exist.`, hint, {namespace});
  } catch (error) {
    if (error instanceof GshiftError && error.code === 'FORBIDDEN') return;
    throw error;
  }
}

/**
 * Applies an app as an ApplySet: a server-side dry run of everything first (validation, RBAC
 * and admission, so bad input or a missing permission changes nothing), then the parent with
 * the union of old and new group-kinds, the members, the prune of members the render no
 * longer has, and the parent with the new group-kinds — the order kubectl uses, so an
 * interrupted run leaves a parent that still finds every member.
 */
export async function applyApp(cluster: Cluster, request: AppApplyRequest, tracker: ApplyTracker = {applied: []}): Promise<AppApplyResult> {
  const {app, namespace} = request;
  const id = appApplysetId(app, namespace);
  const members = asMembers(request.objects, app, id).map((object) => ({...object, metadata: {...object.metadata, namespace}}));
  const record = await readRecord(cluster, namespace, app);
  const newGroupKinds = groupKindsOf(members);
  const unionGroupKinds = [...new Set([...(record?.groupKinds ?? []), ...newGroupKinds])];
  const parent = (groupKinds: string[]) =>
    applysetParent({app, namespace, groupKinds, tooling: request.tooling, labels: request.labels, inputs: JSON.stringify(request.inputs)});

  const rehearsal = await cluster.apply([parent(unionGroupKinds), ...members], {namespace, dryRun: true, force: request.force});
  const warnings = new Set(rehearsal.flatMap((outcome) => outcome.warnings));
  if (request.dryRun) {
    const existing = record ? await listMembers(cluster, namespace, record.id, record.groupKinds) : [];
    const plan = planPrune(existing, members, {purgeData: request.purgeData});
    const outcomes = rehearsal.slice(1).map(withoutSecretValues);
    const changed = rehearsal.some((outcome) => outcome.action !== 'unchanged') || plan.prune.length > 0;
    return {outcomes, pruned: plan.prune.map((object) => refOf(object, namespace)), kept: plan.kept.map((object) => refOf(object, namespace)), changed, warnings: [...warnings]};
  }

  tracker.namespace = namespace;
  const [parentBefore] = await cluster.apply([parent(unionGroupKinds)], {namespace, force: request.force});
  const outcomes: ApplyOutcome[] = [];
  for (const member of members) {
    const [outcome] = await cluster.apply([member], {namespace, force: request.force});
    outcomes.push(outcome!);
    tracker.applied.push(outcome!.ref);
    for (const warning of outcome!.warnings) warnings.add(warning);
  }

  await scaleToAutoscalerMinimum(cluster, namespace, outcomes);

  const existing = await listMembers(cluster, namespace, id, unionGroupKinds);
  const plan = planPrune(existing, members, {purgeData: request.purgeData});
  const pruned: ObjectRef[] = [];
  for (const object of plan.prune) {
    const ref = refOf(object, namespace);
    if (await cluster.delete(ref, {propagation: 'Background'})) pruned.push(ref);
  }
  // Kept claims stay members, so `app delete --purge-data` still finds them.
  const finalGroupKinds = [...new Set([...newGroupKinds, ...plan.kept.map((object) => groupKindsOf([object])[0]!)])];
  const [parentAfter] = await cluster.apply([parent(finalGroupKinds)], {namespace, force: request.force});
  const changed =
    [parentBefore!, parentAfter!].some((outcome) => outcome.action !== 'unchanged') ||
    outcomes.some((outcome) => outcome.action !== 'unchanged') ||
    pruned.length > 0;
  return {outcomes: outcomes.map(withoutSecretValues), pruned, kept: plan.kept.map((object) => refOf(object, namespace)), changed, warnings: [...warnings]};
}

/** Results are printed (--json): a Secret's values never are. */
const withoutSecretValues = (outcome: ApplyOutcome): ApplyOutcome => ({...outcome, object: maskSecretValues(outcome.object)});

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
