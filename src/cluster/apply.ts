import {GshiftError, usageError} from '../errors.js';
import type {ApiResource, ApplyOptions, ApplyOutcome, KubeObject, ObjectRef} from './index.js';
import {objectKey} from '../core/object-key.js';
import {parseWarnings, resourcePath} from './paths.js';
import type {HttpResponse} from './transport.js';
import {byCodePoint} from '../core/order.js';
import {startsPods} from '../core/workloads.js';

export const FIELD_MANAGER = 'gshift';

/** What apply needs from the connection (KubeCluster implements it). */
export interface ApplyAccess {
  readonly namespace: string;
  locate(apiVersion: string, kind: string): Promise<ApiResource>;
  getAt(path: string, ref: ObjectRef): Promise<KubeObject | undefined>;
  send(request: {method: 'PATCH'; path: string; query: Record<string, string | boolean | undefined>; body: string; contentType: string}, verb: string, ref: ObjectRef): Promise<HttpResponse>;
}

interface Planned {
  object: KubeObject;
  ref: ObjectRef;
  resource: ApiResource;
}

/**
 * Server-side apply in the caller's order, in waves (applyWaves: namespaces and CRDs before
 * what lives in them, a workload after the objects its pods need). Every object is checked and
 * its kind looked up before the first write, so a typo fails without a half-applied stack.
 *
 * force defaults to false, as in kubectl: a field another manager owns (someone's `kubectl
 * scale`, an HPA, an operator) is reported as a CONFLICT naming the manager and the fields, not
 * silently taken over. gshift is one manager among several on the same objects, so taking
 * fields over is the user's call (--force-conflicts).
 */
/** A pre-read the server forbade, or one the caller declined (readFirst): the action then follows from the apply's status alone. */
const UNREADABLE: unique symbol = Symbol('unreadable');

export async function applyObjects(access: ApplyAccess, objects: KubeObject[], options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  const planned: Planned[] = [];
  for (const [index, object] of objects.entries()) {
    if (!object?.apiVersion || !object.kind || !object.metadata?.name) {
      throw usageError(
        `Object ${index + 1} of ${objects.length} to apply has no ${!object?.apiVersion ? 'apiVersion' : !object.kind ? 'kind' : 'metadata.name'}.`,
        'give every object apiVersion, kind and metadata.name.',
        {index, kind: object?.kind, name: object?.metadata?.name},
      );
    }
    const resource = await access.locate(object.apiVersion, object.kind);
    const namespace = resource.namespaced ? (object.metadata.namespace ?? options.namespace ?? access.namespace) : undefined;
    const {managedFields: _managedFields, ...metadata} = object.metadata;
    const body: KubeObject = {...object, metadata: {...metadata, namespace}};
    if (namespace === undefined) delete body.metadata.namespace;
    planned.push({object: body, resource, ref: {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace}});
  }

  // What each object was before, read at once (one round trip, not one per object), unless the
  // caller knows. A read the user may not make is not the failure to report: the apply's own
  // answer is (a reader is told that it may not patch the first object, not that it may not get the last).
  const befores = planned.map(({resource, ref}) => {
    const key = objectKey(ref);
    if (options.before?.has(key)) return Promise.resolve(options.before.get(key));
    if (options.readFirst === false) return Promise.resolve(UNREADABLE);
    return access.getAt(resourcePath(resource, ref.namespace, ref.name), ref).catch((error: unknown): typeof UNREADABLE => {
      if (error instanceof GshiftError && error.code === 'FORBIDDEN') return UNREADABLE;
      throw error;
    });
  });
  // Awaited by each object's apply; a read whose apply never runs (an earlier wave failed) is dropped.
  for (const before of befores) before.catch(() => {});
  // A dry run writes nothing, so its reads go with its applies; a real apply reads first.
  if (!options.dryRun) await Promise.all(befores);
  const applyOne = async (index: number): Promise<ApplyOutcome> => {
    const {object, ref, resource} = planned[index]!;
    const response = await access.send(
      {
        method: 'PATCH',
        path: resourcePath(resource, ref.namespace, ref.name),
        query: {fieldManager: FIELD_MANAGER, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined},
        // JSON is YAML: the apply content type takes it as it is.
        body: JSON.stringify(object),
        contentType: 'application/apply-patch+yaml',
      },
      'apply',
      ref,
    );
    const after = JSON.parse(await response.text()) as KubeObject;
    const read = await befores[index];
    const action = read === UNREADABLE ? (response.status === 201 ? 'created' : 'configured') : applyAction(read, after, response.status, options.dryRun ?? false);
    const outcome: ApplyOutcome = {ref, action, object: after, warnings: parseWarnings(response.headers.warning), ...(options.dryRun && read && read !== UNREADABLE ? {before: read} : {})};
    options.onApplied?.(outcome);
    return outcome;
  };
  const outcomes: ApplyOutcome[] = [];
  for (const wave of applyWaves(planned.map(({ref}) => ref.kind), options.dryRun ?? false)) {
    // Every object of a wave is sent before the first failure is reported, so what was applied is known.
    const settled = await inBatches(wave, PARALLEL_APPLIES, applyOne);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    outcomes.push(...settled.map((result) => (result as PromiseFulfilledResult<ApplyOutcome>).value));
  }
  return outcomes;
}

/** Kinds that the objects after them live in or are typed by: nothing after them is sent before they exist. */
const FOUNDATIONS = new Set(['Namespace', 'CustomResourceDefinition', 'APIService']);

/** At most this many applies in flight: one connection each. */
const PARALLEL_APPLIES = 8;

/**
 * The caller's order as waves of object indices sent together: a new wave after a Namespace or
 * CRD, and before a pod starter that follows other objects (a dry run writes nothing, so only
 * the first rule holds there). Objects with no such dependency go at once: an app's six applies
 * cost one round trip or two, not six.
 */
export function applyWaves(kinds: readonly string[], dryRun: boolean): number[][] {
  const waves: number[][] = [];
  let wave: number[] = [];
  for (const [index, kind] of kinds.entries()) {
    const afterFoundation = wave.some((member) => FOUNDATIONS.has(kinds[member]!));
    const podsNeedWhatCameBefore = !dryRun && startsPods(kind) && wave.some((member) => !startsPods(kinds[member]!));
    if (wave.length > 0 && (afterFoundation || podsNeedWhatCameBefore)) {
      waves.push(wave);
      wave = [];
    }
    wave.push(index);
  }
  if (wave.length > 0) waves.push(wave);
  return waves;
}

async function inBatches<T>(indices: readonly number[], size: number, work: (index: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = [];
  for (let start = 0; start < indices.length; start += size) results.push(...(await Promise.allSettled(indices.slice(start, start + size).map(work))));
  return results;
}

/**
 * created when there was nothing before (the server answers 201); unchanged when the server
 * kept the resourceVersion — a no-op apply writes nothing. A dry run never bumps the
 * resourceVersion, so there the objects themselves are compared, and the fields gshift's apply
 * owns: the server writes an object whose only change is that gshift now owns a field (with
 * the value it already had), and `unchanged` must mean that the real apply would write nothing.
 */
export function applyAction(before: KubeObject | undefined, after: KubeObject, status: number, dryRun: boolean): ApplyOutcome['action'] {
  if (!before || status === 201) return 'created';
  if (!dryRun) return before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
  return canonical(before) === canonical(after) ? 'unchanged' : 'configured';
}

/**
 * JSON with sorted keys, without the bookkeeping a dry run may touch (but with the fields
 * gshift's apply owns), and without the status: an apply never writes it, while controllers do,
 * so a status that moved between the read and the dry run is no change of gshift's.
 */
function canonical(object: KubeObject): string {
  const {status: _status, ...rest} = object as KubeObject & {status?: unknown};
  object = rest as KubeObject;
  const {managedFields, resourceVersion: _r, generation: _g, ...metadata} = object.metadata;
  const owned = (managedFields as {manager?: string; operation?: string; subresource?: string; fieldsV1?: unknown}[] | undefined)?.find(
    (entry) => entry.manager === FIELD_MANAGER && entry.operation === 'Apply' && !entry.subresource,
  )?.fieldsV1;
  return JSON.stringify({...object, metadata, owned}, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byCodePoint(a, b)))
      : value,
  );
}
