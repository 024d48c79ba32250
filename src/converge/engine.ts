import type {ApplyOptions, ApplyOutcome, Cluster, KubeObject, ObjectRef} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {objectKey} from '../core/object-key.js';
import {startsPods} from '../core/workloads.js';
import {type SetSpec, applysetParent, asMembers, groupKindsOf, parentRef, planPrune, setId} from './applyset.js';
import {listMembers, readParent} from './inventory.js';

/**
 * The one way gshift makes the cluster hold a set of objects (an app, a tenant's environment,
 * a database …): applied in the order given with server-side apply, recorded as an ApplySet,
 * what the new render drops pruned (data kept unless purgeData), and one report.
 */

/** What an interrupted run reports: what was applied so far, and where. */
export interface ApplyTracker {
  applied: ObjectRef[];
  namespace?: string;
}

export interface ConvergeRequest {
  set: SetSpec;
  /** The rendered objects in apply order (dependencies first), without the set's labels. */
  objects: KubeObject[];
  /** Validate, admit and authorise on the server without persisting anything. */
  dryRun?: boolean;
  /**
   * Rehearse the whole set as a server-side dry run before the first write, so bad input or a
   * missing permission changes nothing (default). Off where the namespace is made in the same run.
   * 'unless-new': a set that has no parent yet has nothing to protect, so it is not rehearsed
   * (one round trip less) but applied with its workloads last, and a refusal deletes what the run
   * created: the namespace is left as it was, and no pod starts before everything else is accepted.
   */
  rehearse?: boolean | 'unless-new';
  /** Take over fields other managers own (--force-conflicts; a rollback restores a whole pod template). */
  force?: boolean;
  /** Prune data (volume claims and the credentials beside them) too. */
  purgeData?: boolean;
  /** Objects the caller may be forbidden to write and can do without (an OpenShift project's quota): skipped then. */
  mayBeForbidden?: (object: KubeObject) => boolean;
  /** Runs after a rehearsal that found changes, before they are written, with its outcomes (`before` set: what each member was). */
  beforeApply?: (rehearsed: readonly ApplyOutcome[]) => Promise<void>;
  /** Runs after the members are applied and before the prune (e.g. seeding replicas). */
  afterApply?: (outcomes: readonly ApplyOutcome[]) => Promise<void>;
  /** The set's parent as the caller just read it (null: there is none), so it is not read twice. */
  recorded?: RecordedParent | null;
  /**
   * With dryRun: the namespace does not exist yet (the same run would create it, as `gshift up
   * --dry-run=server` does), so the server cannot rehearse the objects: they are reported as
   * created, as rendered.
   */
  namespacePending?: boolean;
  /**
   * The namespace was made by the same run and holds nothing yet (gshift up): nothing to protect
   * with a rehearsal, and nothing to read before applying.
   */
  emptyNamespace?: boolean;
}

type RecordedParent = NonNullable<Awaited<ReturnType<typeof readParent>>>;

export interface ConvergeResult {
  /** The members' outcomes, in apply order (the parent is bookkeeping and not listed). */
  outcomes: ApplyOutcome[];
  pruned: ObjectRef[];
  /** Members the new render no longer has, kept because they hold data. */
  kept: ObjectRef[];
  /** Members the caller could do without and may not write. */
  skipped: ObjectRef[];
  /** False when the cluster already matched: nothing was written. */
  changed: boolean;
  /** Warnings the API server sent (Pod Security "would violate", deprecations), de-duplicated. */
  warnings: string[];
  /** Dry runs: the set's parent as the rehearsal answered (what `gshift diff` shows of the set's record). */
  parent?: ApplyOutcome;
}

const refOf = (object: KubeObject, namespace: string): ObjectRef => ({apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '', namespace});

/**
 * Parent with the union of old and new group-kinds first, then the members, the prune, and the
 * parent with the final group-kinds — the order kubectl uses, so an interrupted run leaves a
 * parent that still finds every member.
 */
export async function converge(cluster: Cluster, request: ConvergeRequest, tracker: ApplyTracker = {applied: []}): Promise<ConvergeResult> {
  const {set} = request;
  const namespace = set.namespace;
  const id = setId(set.name, namespace);
  const members = asMembers(request.objects, set);
  const recorded = request.recorded === undefined ? await readParent(cluster, set.name, namespace) : (request.recorded ?? undefined);
  const newGroupKinds = groupKindsOf(members);
  const unionGroupKinds = [...new Set([...(recorded?.groupKinds ?? []), ...newGroupKinds])];
  const applyOptions = {namespace, force: request.force};
  const warnings = new Set<string>();
  const skipped: ObjectRef[] = [];
  if (request.dryRun && request.namespacePending) {
    const outcomes = members.map((object): ApplyOutcome => ({ref: refOf(object, namespace), action: 'created', object, warnings: []}));
    return {outcomes, pruned: [], kept: [], skipped, changed: true, warnings: []};
  }
  // The members on the cluster, listed once (one list per group-kind the parent records), serve
  // both as what each object was before (no read per object) and as what to prune. A set that
  // had no parent has no members but the ones applied now (the parent is written first).
  const existing = recorded ? await listMembers(cluster, namespace, id, recorded.groupKinds) : [];
  const parentBefore = new Map<string, KubeObject | undefined>([[objectKey(parentRef(set.name, set.namespace)), recorded?.parent]]);
  let before = new Map<string, KubeObject | undefined>([...parentBefore, ...existing.map((member) => [objectKey(refOf(member, namespace)), member] as const)]);
  if (request.emptyNamespace) for (const member of members) before.set(objectKey(refOf(member, namespace)), undefined);

  // A new set under 'unless-new': applied unrehearsed and undone when refused (see ConvergeRequest.rehearse).
  const undoable = request.rehearse === 'unless-new' && !recorded && !request.dryRun && !request.emptyNamespace;
  if ((request.rehearse !== false && !undoable && !request.emptyNamespace) || request.dryRun) {
    const rehearsal = await applyEach(cluster, [applysetParent(set, unionGroupKinds), ...members], {...applyOptions, dryRun: true, before}, request, skipped);
    for (const outcome of rehearsal) for (const warning of outcome.warnings) warnings.add(warning);
    const rehearsed = rehearsal.slice(1);
    const unchanged = rehearsal.every((outcome) => outcome.action === 'unchanged');
    // Nothing to write and nothing to prune: a real run stops here, so a re-run writes nothing at all.
    const plan = request.dryRun || unchanged ? planPrune(existing, members, {purgeData: request.purgeData}) : undefined;
    if (plan && (request.dryRun || plan.prune.length === 0)) {
      const changed = !unchanged || plan.prune.length > 0;
      if (!request.dryRun) await request.afterApply?.(rehearsed);
      return {
        outcomes: rehearsed.map(withoutBefore(request.dryRun)),
        pruned: plan.prune.map((object) => refOf(object, namespace)),
        kept: plan.kept.map((object) => refOf(object, namespace)),
        skipped,
        changed,
        warnings: [...warnings],
        ...(request.dryRun && rehearsal[0] ? {parent: rehearsal[0]} : {}),
      };
    }
    skipped.length = 0;
    await request.beforeApply?.(rehearsed);
    // The rehearsal read every object and answered with what is stored: the apply need not read them again.
    before = new Map(rehearsal.map((outcome) => [objectKey(outcome.ref), outcome.action === 'created' ? undefined : (outcome.before ?? outcome.object)]));
  }

  tracker.namespace = namespace;
  // A wave applies its objects at once, so they finish in any order; the report keeps the render's.
  const renderOrder = new Map(members.map((member, index) => [`${member.kind}/${member.metadata.name}`, index]));
  const position = (ref: ObjectRef) => renderOrder.get(`${ref.kind}/${ref.name}`) ?? members.length;
  const parent = applysetParent(set, unionGroupKinds);
  const isParent = (ref: ObjectRef) => ref.kind === parent.kind && ref.name === parent.metadata.name;
  const created: ObjectRef[] = [];
  const onApplied = (outcome: ApplyOutcome) => {
    if (outcome.action === 'created') created.push(outcome.ref);
    if (isParent(outcome.ref)) return;
    tracker.applied.push(outcome.ref);
    tracker.applied.sort((a, b) => position(a) - position(b));
  };
  // The parent must list a kind before any member of it exists, or an interrupted run could
  // leave a member no prune finds. When it lists them all already (or there was none, so
  // nothing to prune), and the rehearsal showed it will be accepted, it goes with the first
  // members: one round trip less.
  const kindsAdded = recorded !== undefined && unionGroupKinds.some((kind) => !recorded.groupKinds.includes(kind));
  const parentAlone = kindsAdded || request.rehearse === false;
  let parentFirst: ApplyOutcome | undefined;
  let outcomes: ApplyOutcome[];
  if (parentAlone) {
    [parentFirst] = await cluster.apply([parent], {...applyOptions, before});
    outcomes = await applyEach(cluster, members, {...applyOptions, before, onApplied}, request, skipped);
  } else if (undoable) {
    // Nothing read first (the set is new: the server's answers say what was created), the
    // workloads in the last wave, and what was created deleted again when anything is refused.
    try {
      [parentFirst, ...outcomes] = await applyEach(cluster, [parent, ...workloadsLast(members)], {...applyOptions, before, onApplied, readFirst: false}, request, skipped);
    } catch (error) {
      await undo(cluster, created, tracker);
      throw error;
    }
    outcomes.sort((a, b) => position(a.ref) - position(b.ref));
  } else {
    // Outcomes come in the order given: the parent's first.
    [parentFirst, ...outcomes] = await applyEach(cluster, [parent, ...members], {...applyOptions, before, onApplied}, request, skipped);
  }
  for (const outcome of outcomes) for (const warning of outcome.warnings) warnings.add(warning);
  await request.afterApply?.(outcomes);

  // Listed before the apply: what the apply created is in the render, so it is never pruned.
  const plan = planPrune(existing, members, {purgeData: request.purgeData});
  const pruned: ObjectRef[] = [];
  for (const object of plan.prune) {
    const ref = refOf(object, namespace);
    if (await cluster.delete(ref, {propagation: 'Background'})) pruned.push(ref);
  }
  // Kept data stays in the set, so a later purge (app delete --purge-data) still finds it.
  const finalGroupKinds = [...new Set([...newGroupKinds, ...groupKindsOf(plan.kept)])];
  const parentOutcomes = [parentFirst!];
  // The parent lists the final group-kinds; it already does when no kind left the set.
  if (finalGroupKinds.length !== unionGroupKinds.length) parentOutcomes.push(...(await cluster.apply([applysetParent(set, finalGroupKinds)], {...applyOptions, before: new Map([[objectKey(parentFirst!.ref), parentFirst!.object]])})));
  const changed = [...parentOutcomes, ...outcomes].some((outcome) => outcome.action !== 'unchanged') || pruned.length > 0;
  return {outcomes, pruned, kept: plan.kept.map((object) => refOf(object, namespace)), skipped, changed, warnings: [...warnings]};
}

/** The render's order, with the objects that start pods moved after all the others (a stable partition). */
const workloadsLast = (objects: KubeObject[]) => [...objects.filter((object) => !startsPods(object.kind)), ...objects.filter((object) => startsPods(object.kind))];

/**
 * Deletes what a refused apply of a new set had created, newest first, so the namespace is as it
 * was. A delete that fails leaves its object in the tracker, which the failure report names.
 */
async function undo(cluster: Cluster, created: readonly ObjectRef[], tracker: ApplyTracker): Promise<void> {
  for (const ref of [...created].reverse()) {
    const deleted = await cluster.delete(ref, {propagation: 'Background'}).then(
      () => true,
      () => false,
    );
    const index = tracker.applied.findIndex((applied) => objectKey(applied) === objectKey(ref));
    if (deleted && index >= 0) tracker.applied.splice(index, 1);
  }
}

/** A rehearsal's outcomes as a real run reports them: without the objects as they were, which only a dry run's reader needs. */
const withoutBefore = (dryRun: boolean | undefined) => (outcome: ApplyOutcome): ApplyOutcome => {
  if (dryRun || !outcome.before) return outcome;
  const {before: _before, ...rest} = outcome;
  return rest;
};

/** Applies the objects; one the caller may do without and may not write is skipped, one by one then. */
async function applyEach(cluster: Cluster, objects: KubeObject[], options: ApplyOptions & {namespace: string}, request: ConvergeRequest, skipped: ObjectRef[]): Promise<ApplyOutcome[]> {
  if (!request.mayBeForbidden || !objects.some(request.mayBeForbidden)) return cluster.apply(objects, options);
  const outcomes: ApplyOutcome[] = [];
  for (const object of objects) {
    try {
      outcomes.push(...(await cluster.apply([object], options)));
    } catch (error) {
      if (!(error instanceof GshiftError && error.code === 'FORBIDDEN' && request.mayBeForbidden(object))) throw error;
      skipped.push(refOf(object, options.namespace));
    }
  }
  return outcomes;
}

/** The report every command prints the same way: `Kind/name` by what happened to it. */
export interface ConvergeTally {
  created: string[];
  configured: string[];
  unchanged: string[];
  pruned: string[];
  kept: string[];
  skipped: string[];
}

export function tally(result: Pick<ConvergeResult, 'outcomes' | 'pruned' | 'kept' | 'skipped'>): ConvergeTally {
  const key = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;
  const by = (action: ApplyOutcome['action']) => result.outcomes.filter((outcome) => outcome.action === action).map((outcome) => key(outcome.ref));
  return {created: by('created'), configured: by('configured'), unchanged: by('unchanged'), pruned: result.pruned.map(key), kept: result.kept.map(key), skipped: result.skipped.map(key)};
}
