import type {ObjectRef} from '../cluster/index.js';
import {FIELD_MANAGER} from '../cluster/apply.js';
import {GshiftError} from '../errors.js';
import {objectDiff} from './object-diff.js';
import type {PruneCandidate} from './prune.js';
import type {UpRequest, UpServiceHooks} from './up.js';

/**
 * `gshift diff`: what `gshift up` would change, from a server-side dry run of the same plan
 * (every object validated, admitted and defaulted by the cluster, nothing saved), one unified
 * diff per object, Secret values masked. In sync, or drift (exit 14, DRIFT): a CI gate that
 * keeps drift and failure apart.
 */
export interface DiffRequest extends Pick<UpRequest, 'file' | 'envs' | 'tooling' | 'cluster' | 'cwd'> {
  /** Count what `up --prune` would remove as drift too. */
  prune?: boolean;
}

export interface ObjectDifference {
  /** The plan step the object belongs to (dev/app/web). */
  step: string;
  ref: ObjectRef;
  action: 'created' | 'configured';
  diff: string;
}

export interface DiffResult {
  tenant: string;
  file: string;
  inSync: boolean;
  objects: ObjectDifference[];
  /** What up --prune would remove: drift only with --prune. */
  prunable: PruneCandidate[];
  /** --prune was given: prunable counts as drift. */
  prune: boolean;
}

export async function diffFile(request: DiffRequest, hooks: Pick<UpServiceHooks, 'warn' | 'note'>): Promise<DiffResult> {
  const {up, failureOf} = await import('./up.js');
  const quiet = () => {};
  const result = await up({...request, dryRun: true, prune: false, wait: false, timeoutMs: 0}, {phase: quiet, rollout: quiet, note: hooks.note, warn: hooks.warn});
  const failure = failureOf(result);
  if (failure) throw failure;
  const objects: ObjectDifference[] = [];
  for (const outcome of result.outcomes) {
    for (const change of outcome.result?.changes ?? []) {
      if (change.action === 'unchanged') continue;
      const title = `${change.ref.namespace ? `${change.ref.namespace}/` : ''}${change.ref.kind}/${change.ref.name}`;
      const diff = objectDiff({title, ...(change.before ? {before: change.before} : {}), after: change.after, manager: FIELD_MANAGER});
      // The server said it would write, yet nothing gshift shows differs (ownership of a field): still drift, named.
      objects.push({step: outcome.step.id, ref: change.ref, action: change.action, diff: diff || `~~~ ${title}: only which fields gshift owns would change`});
    }
  }
  const prunable = result.prunable;
  return {tenant: result.tenant, file: request.file, inSync: objects.length === 0 && (!request.prune || prunable.length === 0), objects, prunable, prune: Boolean(request.prune)};
}

/** The error `gshift diff` ends with when the cluster differs from the file: exit 14, not a failure. */
export function driftError(result: DiffResult): GshiftError {
  const environments = [...new Set(result.objects.map((object) => object.step.split('/')[0]))];
  const parts = [
    ...(result.objects.length > 0 ? [`${result.objects.length} object${result.objects.length === 1 ? '' : 's'} would change${environments.length > 0 ? ` in ${environments.join(', ')}` : ''}`] : []),
    ...(result.prune && result.prunable.length > 0 ? [`${result.prunable.length} app${result.prunable.length === 1 ? ', database or certificate' : 's, databases or certificates'} would be pruned`] : []),
  ];
  return new GshiftError('DRIFT', `The cluster differs from ${result.file}: ${parts.join('; ')}.`, {
    hint: `run gshift up${result.prune && result.prunable.length > 0 ? ' --prune' : ''} -f ${result.file} to converge.`,
    details: {objects: result.objects.map((object) => ({step: object.step, ...object.ref, action: object.action})), prunable: result.prunable},
  });
}
