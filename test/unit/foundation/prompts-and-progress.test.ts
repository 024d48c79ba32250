// The non-interactive rules: prompts only when stdin and stdout are terminals and CI is not set
// (else a missing value is an error naming the flag, and destructive commands need --yes), and
// spinners only on a terminal outside CI (else plain timestamped lines), always on stderr.
import {afterEach, beforeEach, describe, expect, jest, test} from '@jest/globals';

const inquirer = {confirm: jest.fn<(options: object) => Promise<boolean>>(), input: jest.fn<(options: object) => Promise<string>>(), select: jest.fn<(options: object) => Promise<string>>()};
const spinner = {start: jest.fn(), succeed: jest.fn(), fail: jest.fn(), stop: jest.fn(), text: ''};
const ora = jest.fn((_options: object) => spinner);
spinner.start.mockReturnValue(spinner);
jest.unstable_mockModule('@inquirer/prompts', () => inquirer);
jest.unstable_mockModule('ora', () => ({default: ora}));

const {askFor, confirmDestructive} = await import('../../../src/ui/prompt.js');
const {startProgress} = await import('../../../src/ui/progress.js');

const streams = [process.stdin, process.stdout, process.stderr] as {isTTY?: boolean}[];
let saved: {tty: (boolean | undefined)[]; ci: string | undefined; term: string | undefined};
let written: string[];

/** Pretends stdin, stdout and stderr are (or are not) terminals, with CI set or not. */
function terminal(tty: boolean, ci?: string): void {
  for (const stream of streams) stream.isTTY = tty;
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
}

beforeEach(() => {
  saved = {tty: streams.map((stream) => stream.isTTY), ci: process.env.CI, term: process.env.TERM};
  delete process.env.TERM;
  written = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
  jest.clearAllMocks();
  spinner.start.mockReturnValue(spinner);
});

afterEach(() => {
  streams.forEach((stream, index) => (stream.isTTY = saved.tty[index]));
  if (saved.ci === undefined) delete process.env.CI;
  else process.env.CI = saved.ci;
  if (saved.term !== undefined) process.env.TERM = saved.term;
  jest.restoreAllMocks();
});

describe('asking for a missing value', () => {
  test('without a terminal it is an error that names the flag and its choices', async () => {
    terminal(false);
    await expect(askFor('stack', 'Which stack?', ['nodejs', 'java'])).rejects.toMatchObject({
      code: 'USAGE',
      message: 'Missing --stack: which stack is required when not running on a terminal.',
      hint: 'pass --stack (one of: nodejs, java).',
    });
    expect(inquirer.select).not.toHaveBeenCalled();
  });

  test('on a terminal in CI it is the same error: a pipeline never waits for an answer', async () => {
    terminal(true, 'true');
    await expect(askFor('tenant', 'Tenant name:')).rejects.toMatchObject({code: 'USAGE', hint: 'pass --tenant.'});
    expect(inquirer.input).not.toHaveBeenCalled();
  });

  test('on a terminal outside CI it asks: a choice from a list, or typed text', async () => {
    terminal(true, 'false');
    inquirer.select.mockResolvedValue('java');
    await expect(askFor('stack', 'Which stack?', ['nodejs', 'java'])).resolves.toBe('java');
    expect(inquirer.select).toHaveBeenCalledWith(expect.objectContaining({message: 'Which stack?', choices: [{value: 'nodejs', name: 'nodejs'}, {value: 'java', name: 'java'}]}));
    inquirer.input.mockResolvedValue('shop');
    await expect(askFor('tenant', 'Tenant name:')).resolves.toBe('shop');
  });

  test('only when stdin is a terminal too', async () => {
    terminal(true);
    process.stdin.isTTY = false;
    await expect(askFor('tenant', 'Tenant name:')).rejects.toMatchObject({code: 'USAGE'});
  });
});

describe('confirming something destructive', () => {
  test('--yes confirms without asking, wherever it runs', async () => {
    terminal(true);
    await expect(confirmDestructive({message: 'Delete app web?', yes: true})).resolves.toBe(true);
    expect(inquirer.confirm).not.toHaveBeenCalled();
  });

  test('without a terminal it requires --yes', async () => {
    terminal(false);
    await expect(confirmDestructive({message: 'Delete app web?', yes: false})).rejects.toMatchObject({
      code: 'USAGE',
      message: 'Delete app web: this needs confirmation, and there is no terminal to ask on.',
      hint: 'add --yes to confirm in scripts and CI.',
    });
  });

  test('on a terminal it asks, defaulting to no', async () => {
    terminal(true);
    inquirer.confirm.mockResolvedValue(false);
    await expect(confirmDestructive({message: 'Delete app web?', yes: false})).resolves.toBe(false);
    expect(inquirer.confirm).toHaveBeenCalledWith({message: 'Delete app web?', default: false});
  });

  test('a name to type must match exactly, or nothing happens and the command fails', async () => {
    terminal(true);
    inquirer.input.mockResolvedValue('shop ');
    await expect(confirmDestructive({message: 'Delete tenant shop?', yes: false, typeToConfirm: 'shop'})).resolves.toBe(true);
    inquirer.input.mockResolvedValue('shp');
    await expect(confirmDestructive({message: 'Delete tenant shop?', yes: false, typeToConfirm: 'shop'})).rejects.toMatchObject({code: 'USAGE'});
  });
});

describe('progress', () => {
  const TIMESTAMPED = /^\[\d\d:\d\d:\d\d\] /;

  test.each([
    ['in CI, even on a terminal', true, 'true'],
    ['without a terminal', false, undefined],
  ])('%s it is plain timestamped lines on stderr, without a spinner', async (_, tty, ci) => {
    terminal(tty, ci);
    const progress = await startProgress('Applying 3 objects…');
    progress.update('Applying 3 objects…');
    progress.update('Waiting for the rollout…');
    progress.succeed('Rolled out.');
    expect(ora).not.toHaveBeenCalled();
    expect(written).toHaveLength(3);
    for (const line of written) expect(line).toMatch(TIMESTAMPED);
    expect(written.map((line) => line.replace(TIMESTAMPED, ''))).toEqual(['Applying 3 objects…\n', 'Waiting for the rollout…\n', '✓ Rolled out.\n']);
  });

  test('on a terminal outside CI it is a spinner on stderr', async () => {
    terminal(true);
    const progress = await startProgress('Applying…');
    progress.update('Waiting…');
    progress.fail('Failed.');
    expect(ora).toHaveBeenCalledWith(expect.objectContaining({text: 'Applying…', stream: process.stderr}));
    expect(spinner.text).toBe('Waiting…');
    expect(spinner.fail).toHaveBeenCalledWith('Failed.');
  });

  test('quiet (--json) prints nothing at all', async () => {
    terminal(false);
    const progress = await startProgress('Applying…', {quiet: true});
    progress.succeed();
    expect(written).toEqual([]);
  });
});
