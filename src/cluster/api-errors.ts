import {GshiftError} from '../errors.js';
import type {ObjectRef} from './index.js';
import {networkError} from './network-errors.js';

/** What was being done when a request failed, so the message can name it. */
export interface ErrorContext {
  /** A Kubernetes verb (get, list, create, apply, delete, watch, patch, update) or a phrase ("read logs of"). */
  verb: string;
  ref?: Partial<ObjectRef>;
  /** The API server URL, for "Cannot reach the cluster at …". */
  server?: string;
}

/** A metav1.Status, the body the API server sends with every error. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: {reason?: string; message?: string; field?: string}[];
    retryAfterSeconds?: number;
  };
}

/** A non-2xx answer from the API server, as thrown by the transport. Carries no request headers. */
export class ApiStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: KubeStatus | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(`HTTP ${status}: ${body?.message ?? body?.reason ?? 'no status body'}`);
    this.name = 'ApiStatusError';
  }
}

/** `Deployment "web" in namespace "shop-dev"`. */
export function describeRef(ref: Partial<ObjectRef> | undefined): string {
  if (!ref?.kind) return 'the object';
  const name = ref.name ? ` "${ref.name}"` : 's';
  return `${ref.kind}${name}${ref.namespace ? ` in namespace "${ref.namespace}"` : ''}`;
}

/**
 * Maps whatever a request threw — our ApiStatusError, client-node's ApiException, Node's
 * system and TLS errors, aborts — to a GshiftError whose message names the object and the
 * cause. Raw errors stay in `cause` for --debug; messages and details never carry credentials.
 */
export function toClusterError(error: unknown, context: ErrorContext): GshiftError {
  if (error instanceof GshiftError) return error;
  const answer = httpAnswer(error);
  if (answer) return fromStatus(answer.status, answer.body, context, error, answer.retryAfterSeconds);
  const network = networkError(error, context.server);
  if (network) return network;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new GshiftError('INTERNAL', `gshift could not ${context.verb} ${describeRef(context.ref)}: ${message}`, {
    hint: 'run again with --debug and report the output as a gshift bug.',
    cause: error,
  });
}

function httpAnswer(error: unknown): {status: number; body?: KubeStatus; retryAfterSeconds?: number} | undefined {
  if (error instanceof ApiStatusError) return {status: error.status, body: error.body, retryAfterSeconds: error.retryAfterSeconds};
  if (typeof error !== 'object' || error === null) return undefined;
  // client-node's ApiException: {code, body (Status object or its JSON text), headers}.
  const candidate = error as {code?: unknown; body?: unknown; statusCode?: unknown};
  if (typeof candidate.code === 'number' && candidate.code >= 400) return {status: candidate.code, body: asStatus(candidate.body)};
  // client-node's Watch: Error(statusText) with statusCode.
  if (typeof candidate.statusCode === 'number' && candidate.statusCode >= 400) return {status: candidate.statusCode};
  return undefined;
}

/** Parses a Status from an object or JSON text; anything else gives undefined. */
export function asStatus(body: unknown): KubeStatus | undefined {
  if (typeof body === 'string') {
    try {
      return asStatus(JSON.parse(body));
    } catch {
      return body.trim() ? {message: body.trim().split('\n')[0]} : undefined;
    }
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as KubeStatus;
  return undefined;
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const at = (server: string | undefined) => (server ? `the cluster at ${server}` : 'the cluster');

function fromStatus(status: number, body: KubeStatus | undefined, context: ErrorContext, cause: unknown, retryAfter?: number): GshiftError {
  // Requests about the cluster itself (version, discovery) name no object: their verb says it all.
  const object = context.ref?.kind ? ` ${describeRef(context.ref)}` : '';
  const serverMessage = body?.message?.trim();
  const base = {cause, details: {status, reason: body?.reason, ref: context.ref}};
  switch (status) {
    case 401:
      return new GshiftError('UNAUTHENTICATED', `${capitalise(at(context.server))} did not accept your credentials.`, {
        ...base,
        hint: 'log in again (oc login, or your provider’s kubectl login), or pick another context with --context.',
      });
    case 403:
      return forbidden(serverMessage, context, base);
    case 404:
      return notFound(body, context, base);
    case 409:
      return conflict(body, context, base);
    case 410:
      return new GshiftError('SERVER', `The cluster no longer has the version of${object || ' the object'} gshift asked for (410 Gone).`, {...base, hint: 'run the command again.'});
    case 422:
      return rejected(body, context, base);
    case 429:
      return new GshiftError('SERVER', `${capitalise(at(context.server))} is throttling requests (429 Too Many Requests).`, {
        ...base,
        details: {...base.details, retryAfterSeconds: retryAfter ?? body?.details?.retryAfterSeconds},
        hint: 'wait a minute and run the command again.',
      });
    default:
      if (status >= 500) {
        return new GshiftError('SERVER', `${capitalise(at(context.server))} failed to ${context.verb}${object} (${status}${serverMessage ? `: ${serverMessage}` : ''}).`, {
          ...base,
          hint: 'run the command again; if it keeps failing, ask the platform team to check the API server.',
        });
      }
      return new GshiftError('REJECTED', sentence(`The cluster refused to ${context.verb}${object}${serverMessage ? `: ${serverMessage}` : ` (${status})`}`), {
        ...base,
        hint: 'check the input named in the message.',
      });
  }
}

// `deployments.apps "web" is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "shop"`
const RBAC_DENIAL = /User "([^"]+)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)"| at the cluster scope)?/;
// `forbidden: User "system:anonymous" cannot get path "/version"`
const PATH_DENIAL = /User "([^"]+)" cannot (\S+) path "([^"]+)"/;

function forbidden(message: string | undefined, context: ErrorContext, base: {cause: unknown; details: Record<string, unknown>}): GshiftError {
  const denial = message ? RBAC_DENIAL.exec(message) : null;
  if (denial) {
    const [, user, verb, resource, group, namespace] = denial as unknown as [string, string, string, string, string | undefined, string | undefined];
    const qualified = group ? `${resource}.${group}` : resource;
    const scope = namespace ? ` in namespace "${namespace}"` : ' at cluster scope';
    return new GshiftError('FORBIDDEN', `You (${user}) may not ${verb} ${qualified}${scope}.`, {
      cause: base.cause,
      details: {...base.details, user, verb, resource: qualified, namespace},
      hint: namespace
        ? `ask a tenant admin for access to namespace "${namespace}", or check the context with gshift status.`
        : 'ask a cluster admin for this permission, or check the context with gshift status.',
    });
  }
  const pathDenial = message ? PATH_DENIAL.exec(message) : null;
  if (pathDenial) {
    const [, user, verb, path] = pathDenial as unknown as [string, string, string, string];
    return new GshiftError('FORBIDDEN', `You (${user}) may not ${verb} ${path} on the cluster.`, {
      cause: base.cause,
      details: {...base.details, user, verb, path},
      hint: user === 'system:anonymous' ? 'log in: the cluster sees no credentials from this context.' : 'ask a cluster admin for this permission, or check the context with gshift status.',
    });
  }
  // Not RBAC: admission (Pod Security, quotas, webhooks, a terminating namespace) refused the object.
  const reason = message?.replace(/^.*? is forbidden: /, '');
  const object = context.ref?.kind ? ` ${describeRef(context.ref)}` : '';
  return new GshiftError('REJECTED', sentence(`The cluster refused to ${context.verb}${object}${reason ? `: ${reason}` : ' (403 Forbidden)'}`), {
    ...base,
    hint: 'change the object so the policy named above admits it, or ask a tenant admin about the policy.',
  });
}

function notFound(body: KubeStatus | undefined, context: ErrorContext, base: {cause: unknown; details: Record<string, unknown>}): GshiftError {
  const ref = context.ref;
  const missingNamespace = body?.details?.kind === 'namespaces' && ref?.kind !== 'Namespace' ? (body.details.name ?? ref?.namespace) : undefined;
  if (missingNamespace) {
    return new GshiftError('NOT_FOUND', `The namespace "${missingNamespace}" does not exist.`, {
      ...base,
      details: {...base.details, namespace: missingNamespace},
      hint: 'create it with gshift tenant create, or pick another namespace with -n.',
    });
  }
  // No details.name: the URL itself is unknown, i.e. the resource type is not served.
  if (!body?.details?.name && (body?.message ?? '').includes('could not find the requested resource')) {
    return new GshiftError('NOT_FOUND', `The cluster does not serve ${ref?.kind ?? 'this resource'}${ref?.apiVersion ? ` (${ref.apiVersion})` : ''}.`, {
      ...base,
      hint: 'check the apiVersion and kind, or install the operator that provides them.',
    });
  }
  const name = ref?.name ? `${ref.kind ?? 'Object'} "${ref.name}"` : describeRef(ref);
  return new GshiftError('NOT_FOUND', `${name} was not found${ref?.namespace ? ` in namespace "${ref.namespace}"` : ''}.`, {
    ...base,
    hint: 'check the name and the namespace (-n), or list what exists.',
  });
}

// `conflict with "kubectl-edit" using apps/v1`
const MANAGER = /conflict with "([^"]+)"/;

function conflict(body: KubeStatus | undefined, context: ErrorContext, base: {cause: unknown; details: Record<string, unknown>}): GshiftError {
  const what = describeRef(context.ref);
  if (body?.reason === 'AlreadyExists') {
    return new GshiftError('CONFLICT', `${capitalise(what)} already exists.`, {...base, hint: 'pick another name, or remove the existing object first.'});
  }
  const conflicts = (body?.details?.causes ?? [])
    .filter((cause) => cause.reason === 'FieldManagerConflict')
    .map((cause) => ({manager: MANAGER.exec(cause.message ?? '')?.[1] ?? 'another field manager', field: cause.field ?? '?'}));
  if (conflicts.length > 0) {
    const managers = [...new Set(conflicts.map((entry) => `"${entry.manager}"`))].join(', ');
    const fields = conflicts.slice(0, 3).map((entry) => entry.field).join(', ') + (conflicts.length > 3 ? ` and ${conflicts.length - 3} more` : '');
    return new GshiftError('CONFLICT', `Applying ${what} would overwrite ${fields}, which ${managers} last set.`, {
      ...base,
      details: {...base.details, conflicts},
      hint: 're-run with --force-conflicts to take these fields over, or undo the other change first.',
    });
  }
  return new GshiftError('CONFLICT', `${capitalise(what)} was changed by someone else while gshift was updating it.`, {
    ...base,
    hint: 'run the command again.',
  });
}

function rejected(body: KubeStatus | undefined, context: ErrorContext, base: {cause: unknown; details: Record<string, unknown>}): GshiftError {
  const causes = (body?.details?.causes ?? []).map((cause) => ({field: cause.field, message: cause.message ?? cause.reason ?? 'invalid', reason: cause.reason}));
  const first = causes[0];
  const problem = first ? `${first.field ? `${first.field}: ` : ''}${first.message}` : (body?.message?.replace(/^.*? is invalid: /, '') ?? 'invalid');
  const more = causes.length > 1 ? ` (and ${causes.length - 1} more problem${causes.length > 2 ? 's' : ''})` : '';
  return new GshiftError('REJECTED', `The cluster rejected ${describeRef(context.ref)}: ${problem.replace(/\.$/, '')}${more}.`, {
    ...base,
    details: {...base.details, causes},
    hint: causes.length > 1 ? 'fix the fields named in details.causes (shown with --json or --debug).' : 'fix the field named above.',
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
