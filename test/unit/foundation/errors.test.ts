import {describe, expect, it} from '@jest/globals';

import {toGshiftError} from '../../../src/base-command.js';
import {EXIT_CODES, EXIT_CODE_MEANINGS, GshiftError} from '../../../src/errors.js';
import {errorEnvelope, successEnvelope} from '../../../src/ui/json.js';

describe('exit codes', () => {
  it('gives every kind of failure its own code, with Ctrl-C as 130', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(EXIT_CODES.INTERRUPTED).toBe(130);
    expect(codes).not.toContain(0);
    for (const code of Object.keys(EXIT_CODES)) expect(EXIT_CODE_MEANINGS[code as keyof typeof EXIT_CODES]).toBeTruthy();
  });

  it('covers the failures the foundation names', () => {
    for (const code of ['USAGE', 'UNREACHABLE', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'ROLLOUT_FAILED', 'TIMED_OUT', 'INTERRUPTED']) {
      expect(EXIT_CODES).toHaveProperty(code);
    }
  });
});

describe('error mapping in the base command', () => {
  it('keeps a GshiftError as it is', () => {
    const error = new GshiftError('NOT_FOUND', 'No app "web" in namespace "shop-dev".', {hint: 'run gshift app list.'});
    expect(toGshiftError(error)).toBe(error);
    expect(error.exitCode).toBe(6);
  });

  it("turns oclif's parse errors into usage errors with the first line only", () => {
    const parseError = Object.assign(new Error('Missing required flag stack\nSee more help with --help'), {oclif: {exit: 2}});
    const mapped = toGshiftError(parseError);
    expect(mapped.code).toBe('USAGE');
    expect(mapped.message).toBe('Missing required flag stack');
  });

  it('treats anything else as a bug to report, keeping the cause for --debug', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'spec')");
    const mapped = toGshiftError(bug);
    expect(mapped.code).toBe('INTERNAL');
    expect(mapped.exitCode).toBe(1);
    expect(mapped.hint).toMatch(/--debug/);
    expect(mapped.cause).toBe(bug);
  });
});

describe('the --json shapes', () => {
  it('wraps results as {ok: true, command, result, warnings}', () => {
    expect(successEnvelope('app:create', {name: 'web'}, ['slow'])).toEqual({ok: true, command: 'app create', result: {name: 'web'}, warnings: ['slow']});
  });

  it('wraps failures as {ok: false, command, error: {code, exitCode, message, hint, details}}', () => {
    const error = new GshiftError('FORBIDDEN', 'You may not create deployments.apps in namespace "shop-prod".', {
      hint: 'ask a tenant admin for the edit role.',
      details: {verb: 'create'},
    });
    expect(errorEnvelope('app:create', error, [])).toEqual({
      ok: false,
      command: 'app create',
      error: {code: 'FORBIDDEN', exitCode: 5, message: error.message, hint: error.hint, details: {verb: 'create'}},
      warnings: [],
    });
  });

  it('leaves out hint and details when there are none', () => {
    const envelope = errorEnvelope('status', new GshiftError('UNREACHABLE', 'Cannot reach the cluster.'), []);
    expect(Object.keys(envelope.error).sort()).toEqual(['code', 'exitCode', 'message']);
  });
});
