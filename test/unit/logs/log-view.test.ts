import {PassThrough} from 'node:stream';

import {describe, expect, it} from '@jest/globals';
import {Chalk} from 'chalk';

import {LogView} from '../../../src/ui/log-view.js';

function view(options: {json?: boolean; timestamps?: boolean; prefix?: boolean; level?: 0 | 1} = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const logView = new LogView({json: options.json ?? false, timestamps: options.timestamps ?? false, prefix: options.prefix ?? true, chalk: new Chalk({level: options.level ?? 0}), noteChalk: new Chalk({level: 0}), out});
  return {logView, output: async () => (await logView.close(), text)};
}

const entry = (label: string, message: string) => ({pod: `${label}-full`, container: 'web', node: 'node-a', time: '2026-01-01T10:00:01.5Z', stamp: '2026-01-01T10:00:01.500000000Z', message, label});

describe('the log view', () => {
  it('aligns the pod labels it was told about and prints the message after them', async () => {
    const {logView, output} = view();
    logView.event({event: 'labels', labels: ['web-a', 'web-long']});
    await logView.line(entry('web-a', 'hello'));
    await logView.line(entry('web-long', 'world'));
    expect(await output()).toBe('web-a    hello\nweb-long world\n');
  });

  it('colours a pod label only when colour is on', async () => {
    const coloured = view({level: 1});
    await coloured.logView.line(entry('web-a', 'hello'));
    expect(await coloured.output()).toMatch(/^\u001B\[\d+mweb-a\u001B\[39m hello\n$/);
  });

  it('prints the time with --timestamps and only the message with --no-prefix', async () => {
    const {logView, output} = view({timestamps: true, prefix: false});
    await logView.line(entry('web-a', 'hello'));
    expect(await output()).toBe('2026-01-01T10:00:01.5Z hello\n');
  });

  it('--json: one object per line, a structured message parsed, a gap as an event in place', async () => {
    const {logView, output} = view({json: true});
    await logView.line(entry('web-a', '{"level":"warn"}'));
    logView.event({event: 'gap', pod: 'web-a-full', label: 'web-a', container: 'web', after: '2026-01-01T10:00:01.500000000Z', reason: 'node lost the lines'});
    await logView.line(entry('web-a', 'after'));
    const lines = (await output()).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {pod: 'web-a-full', container: 'web', node: 'node-a', time: '2026-01-01T10:00:01.5Z', message: '{"level":"warn"}', json: {level: 'warn'}},
      expect.objectContaining({event: 'gap', pod: 'web-a-full', container: 'web', reason: 'node lost the lines'}),
      expect.objectContaining({message: 'after'}),
    ]);
  });
});
