import {describe, expect, it} from '@jest/globals';

import {parseDuration} from '../../../src/flags.js';
import {closestCommand} from '../../../src/hooks/command-not-found.js';
import {colourLevel, isCI} from '../../../src/ui/terminal.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['45', 45_000],
  ])('reads %s', (text, millis) => expect(parseDuration(text)).toBe(millis));

  it.each(['', 'soon', '5 minutes', 'm'])('rejects %p with a usage error', (text) => {
    expect(() => parseDuration(text)).toThrow(expect.objectContaining({code: 'USAGE'}));
  });
});

describe('colour', () => {
  const tty = {isTTY: true};
  const pipe = {isTTY: false};
  it('is off when NO_COLOR is set, even on a terminal', () => expect(colourLevel(tty, {NO_COLOR: '1'})).toBe(0));
  it('is on when FORCE_COLOR is set, even in a pipe', () => expect(colourLevel(pipe, {FORCE_COLOR: '1'})).toBe(1));
  it('is off in a pipe by default', () => expect(colourLevel(pipe, {})).toBe(0));
  it('is on on a terminal by default', () => expect(colourLevel(tty, {})).toBeGreaterThan(0));
  it('is off on a dumb terminal', () => expect(colourLevel(tty, {TERM: 'dumb'})).toBe(0));
});

describe('CI detection', () => {
  it.each([['true', true], ['1', true], ['false', false], ['0', false], ['', false]])('CI=%p means %p', (value, expected) => {
    expect(isCI({CI: value})).toBe(expected);
  });
});

describe('did you mean', () => {
  const known = ['app create', 'app delete', 'app list', 'config show', 'tenant create', 'status'];
  it('finds a one-letter typo', () => expect(closestCommand('app craete', known)).toBe('app create'));
  it('finds a command from a typed topic', () => expect(closestCommand('tenat create', known)).toBe('tenant create'));
  it('suggests nothing for gibberish', () => expect(closestCommand('xyzzy plugh', known)).toBeUndefined());
});
