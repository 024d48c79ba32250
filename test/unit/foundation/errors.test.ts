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

  // oclif's own messages, as its parser builds them (colour codes included when it thinks a terminal is there).
  it.each([
    ['a missing flag', 'The following error occurred:\n  \u001b[2mMissing required flag stack\u001b[22m\nSee more help with --help', 'Missing the required flag --stack.', 'pass --stack, or run the command with --help.'],
    ['missing flags', 'The following errors occurred:\n  Missing required flag from\n  Missing required flag to\nSee more help with --help', 'Missing the required flags --from and --to.', 'pass --from and --to, or run the command with --help.'],
    ['a missing argument', 'Missing 1 required arg:\ntemplate  A stack name or a template file (JSON or YAML).\nSee more help with --help', 'Missing the required argument TEMPLATE.', 'run the command with --help to see its flags and arguments.'],
    ['a value not among the options', 'Expected --output=xml to be one of: yaml, json\nSee more help with --help', '--output must be one of yaml, json, not "xml".', 'pass --output with one of: yaml, json.'],
    ["a flag's parser failing", 'Parsing --port \n\tExpected an integer but received: abc\nSee more help with --help', '--port: Expected an integer but received: abc.', 'run the command with --help to see its flags and arguments.'],
    ['an unexpected argument', 'Unexpected argument: extra\nSee more help with --help', 'Unexpected argument: extra.', 'run the command with --help to see its flags and arguments.'],
  ])("turns oclif's report of %s into one usage sentence that keeps the names", (_, message, sentence, hint) => {
    const mapped = toGshiftError(Object.assign(new Error(message), {oclif: {exit: 2}}), {});
    expect({code: mapped.code, message: mapped.message, hint: mapped.hint}).toEqual({code: 'USAGE', message: sentence, hint});
  });

  it('says where a bad option value came from when a GSHIFT_ twin holds it', () => {
    const mapped = toGshiftError(new Error('Expected --output=table to be one of: yaml, json\nSee more help with --help'), {GSHIFT_OUTPUT: 'table'});
    expect(mapped.hint).toBe('pass --output with one of: yaml, json, or unset GSHIFT_OUTPUT (it is "table").');
  });

  it("keeps gshift's own sentence and hint when oclif wraps a flag parser's error", () => {
    const own = new GshiftError('USAGE', '"soon" is not a duration.', {hint: 'write durations like 30s, 5m or 1h30m.'});
    own.message = `Parsing --timeout \n\t${own.message}\nSee more help with --help`;
    expect(toGshiftError(own)).toMatchObject({code: 'USAGE', message: '--timeout: "soon" is not a duration.', hint: 'write durations like 30s, 5m or 1h30m.'});
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
