/**
 * The one class for failures a user can act on. Anything else that escapes a command is a bug
 * and is reported as `INTERNAL` (exit 1) with a request to report it.
 */
export const EXIT_CODES = {
  INTERNAL: 1,
  USAGE: 2,
  UNREACHABLE: 3,
  UNAUTHENTICATED: 4,
  FORBIDDEN: 5,
  NOT_FOUND: 6,
  CONFLICT: 7,
  ROLLOUT_FAILED: 8,
  TIMED_OUT: 9,
  REJECTED: 10,
  CONFIG: 11,
  SERVER: 12,
  CERT_EXPIRING: 13,
  DRIFT: 14,
  QUOTA_EXCEEDED: 15,
  INTERRUPTED: 130,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

/** What each exit code means, for `--help` texts and the README. */
export const EXIT_CODE_MEANINGS: Record<ErrorCode, string> = {
  INTERNAL: 'a bug in gshift (please report it with the --debug output)',
  USAGE: 'bad input or usage: a flag, argument or value is wrong or missing',
  UNREACHABLE: 'the cluster could not be reached (connection refused, DNS, TLS)',
  UNAUTHENTICATED: 'the cluster did not accept the credentials (401)',
  FORBIDDEN: 'the credentials lack permission for the operation (403)',
  NOT_FOUND: 'a named object, namespace, stack or template does not exist',
  CONFLICT: 'the object exists or was changed by someone else (409)',
  ROLLOUT_FAILED: 'the rollout failed (image pull, crash loop, admission, deadline)',
  TIMED_OUT: 'waiting took longer than --timeout',
  REJECTED: 'the API server rejected an object as invalid (422)',
  CONFIG: 'a gshift configuration file is invalid',
  SERVER: 'the API server failed or throttled the request (429, 5xx)',
  CERT_EXPIRING: 'gshift cert check: a certificate expires within --fail-days (or has expired)',
  DRIFT: 'gshift diff: the cluster differs from the file (drift, not a failure)',
  QUOTA_EXCEEDED: "the tenant's quota does not allow the change (which resource, used/hard, by how much)",
  INTERRUPTED: 'interrupted (Ctrl-C)',
};

export interface GshiftErrorOptions {
  /** The next step, shown as "Try: …". */
  hint?: string;
  /** Machine-readable facts for --json (object name, field causes, …). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GshiftError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  /** The message as written: oclif rewrites `message` of an error a flag's parser throws. */
  readonly sentence: string;

  constructor(code: ErrorCode, message: string, options: GshiftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'GshiftError';
    this.sentence = message;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export const usageError = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new GshiftError('USAGE', message, {hint, details});

export const notFoundError = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new GshiftError('NOT_FOUND', message, {hint, details});

export function isGshiftError(error: unknown): error is GshiftError {
  return error instanceof GshiftError;
}
