import {GshiftError} from '../errors.js';
import type {ObjectRef} from './index.js';

/** What was being done when a request failed, so the message can name it. */
export interface ErrorContext {
  /** A Kubernetes verb (get, list, create, apply, delete, watch, patch, update) or a phrase ("read logs of"). */
  verb: string;
  ref?: Partial<ObjectRef>;
  /** The API server URL, for "Cannot reach the cluster at …". */
  server?: string;
}

/** `Deployment "web" in namespace "shop-dev"`. */
export function describeRef(ref: Partial<ObjectRef> | undefined): string {
  if (!ref?.kind) return 'the object';
  const name = ref.name ? ` "${ref.name}"` : 's';
  return `${ref.kind}${name}${ref.namespace ? ` in namespace "${ref.namespace}"` : ''}`;
}

/** Maps whatever a request threw to a GshiftError (stub: implemented next). */
export function toClusterError(error: unknown, context: ErrorContext): GshiftError {
  if (error instanceof GshiftError) return error;
  return new GshiftError('INTERNAL', `Could not ${context.verb} ${describeRef(context.ref)}.`, {cause: error});
}
