import type {GshiftError} from '../errors.js';

/**
 * The two documented --json shapes. Every command prints exactly one of them on stdout.
 *
 *   {"ok": true,  "command": "app create", "result": {...}, "warnings": []}
 *   {"ok": false, "command": "app create", "error": {"code": "NOT_FOUND", "exitCode": 6,
 *                 "message": "...", "hint": "...", "details": {...}}, "warnings": []}
 */
export interface SuccessEnvelope<T = unknown> {
  ok: true;
  command: string;
  result: T;
  warnings: string[];
}

export interface ErrorEnvelope {
  ok: false;
  command: string;
  error: {code: string; exitCode: number; message: string; hint?: string; details?: Record<string, unknown>};
  warnings: string[];
}

const displayId = (id: string) => id.replaceAll(':', ' ');

export function successEnvelope<T>(command: string, result: T, warnings: string[]): SuccessEnvelope<T> {
  return {ok: true, command: displayId(command), result, warnings: [...warnings]};
}

export function errorEnvelope(command: string, error: GshiftError, warnings: string[]): ErrorEnvelope {
  return {
    ok: false,
    command: displayId(command),
    error: {
      code: error.code,
      exitCode: error.exitCode,
      message: error.message,
      ...(error.hint ? {hint: error.hint} : {}),
      ...(error.details ? {details: error.details} : {}),
    },
    warnings: [...warnings],
  };
}
