import {describe, expect, it} from '@jest/globals';

import {Args, Flags, Parser} from '@oclif/core';

import {toGshiftError} from '../../../src/base-command.js';
import {integerFlag, timeoutFlag} from '../../../src/flags.js';
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

  // The errors oclif's own parser throws, for a command with these flags and arguments.
  const FLAGS = {
    stack: Flags.string({required: true}),
    from: Flags.string(),
    to: Flags.string(),
    output: Flags.option({char: 'o', options: ['yaml', 'json'] as const, env: 'GSHIFT_OUTPUT'})(),
    timeout: timeoutFlag,
    port: integerFlag({description: 'The port.', min: 1}),
  };
  const ARGS = {template: Args.string({required: true})};
  async function parseFailure(argv: string[], options: {flags?: Record<string, unknown>; env?: NodeJS.ProcessEnv} = {}) {
    const flags = (options.flags ?? FLAGS) as typeof FLAGS;
    const saved = {...process.env};
    Object.assign(process.env, options.env);
    try {
      await Parser.parse(argv, {flags, args: ARGS, strict: true});
    } catch (error) {
      return toGshiftError(error, {flags: flags as never, argv, env: options.env});
    } finally {
      process.env = saved;
    }
    throw new Error(`oclif parsed ${argv.join(' ')} without complaint`);
  }

  it.each([
    ['a missing flag', ['redis'], 'Missing the required flag --stack.', 'pass --stack, or run the command with --help.'],
    ['a missing argument', ['--stack', 'x'], 'Missing the required argument TEMPLATE.', 'run the command with --help to see its flags and arguments.'],
    ['a value not among the options', ['redis', '--stack', 'x', '-o', 'xml'], '--output must be one of yaml, json, not "xml".', 'pass --output with one of: yaml, json.'],
    ["a flag's parser failing", ['redis', '--stack', 'x', '--port', 'abc'], '--port: "abc" is not a whole number.', 'pass a whole number, e.g. --port 1.'],
    ["a duration flag's parser failing", ['redis', '--stack', 'x', '--timeout=soon'], '--timeout: "soon" is not a duration.', 'write durations like 30s, 5m or 1h30m.'],
    ['an unexpected argument', ['redis', 'extra', '--stack', 'x'], 'Unexpected argument: extra.', 'quote a value that contains spaces, or run the command with --help to see its arguments.'],
    ['a mistyped flag', ['redis', '--stak', 'x'], 'Nonexistent flag: --stak; did you mean --stack?', 'use --stack, or run the command with --help to see its flags.'],
  ])('turns oclif\'s %s into one usage sentence that keeps the names', async (_, argv, sentence, hint) => {
    const mapped = await parseFailure(argv);
    expect({code: mapped.code, message: mapped.message, hint: mapped.hint}).toEqual({code: 'USAGE', message: sentence, hint});
  });

  it('names every missing flag at once', async () => {
    const mapped = await parseFailure(['redis'], {flags: {from: Flags.string({required: true}), to: Flags.string({required: true})}});
    expect(mapped.message).toBe('Missing the required flags --from and --to.');
  });

  it('says where a bad option value came from when a GSHIFT_ twin holds it', async () => {
    const mapped = await parseFailure(['redis', '--stack', 'x'], {env: {GSHIFT_OUTPUT: 'table'}});
    expect(mapped.hint).toBe('pass --output with one of: yaml, json, or unset GSHIFT_OUTPUT (it is "table").');
  });

  it('suggests nothing for a flag that resembles none', async () => {
    const mapped = await parseFailure(['redis', '--stack', 'x', '--zzzzzzzz']);
    expect(mapped.message).toBe('Nonexistent flag: --zzzzzzzz.');
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
