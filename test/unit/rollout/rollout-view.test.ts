import {afterEach, beforeAll, describe, expect, it, jest} from '@jest/globals';

import type {RolloutProgress} from '../../../src/rollout/progress.ts';
import {formatAge, LineView, presentRollout, renderDiagnosis} from '../../../src/ui/rollout-view.ts';

beforeAll(() => {
  process.env.NO_COLOR = '1';
});

const progress = (overrides: Partial<RolloutProgress> = {}): RolloutProgress => ({
  deployment: 'web',
  desired: 3,
  updated: 3,
  ready: 1,
  available: 1,
  observed: true,
  pods: [
    {name: 'web-7c9d8f5b6d-a1b2c', status: 'Running', ready: '1/1', restarts: 0, current: true},
    {name: 'web-7c9d8f5b6d-d3e4f', status: 'ContainerCreating', ready: '0/1', restarts: 0, current: true},
    {name: 'web-5f4b7d9c8a-old01', status: 'Terminating', ready: '1/1', restarts: 2, current: false},
  ],
  ...overrides,
});

describe('the rollout progress without a terminal', () => {
  it('prints the counts and each pod once, then only what changed', () => {
    const lines: string[] = [];
    const view = new LineView('web', (text) => lines.push(text));
    view.update(progress({observed: false, pods: []}));
    view.update(progress());
    view.update(progress());
    const next = progress({ready: 2, available: 2});
    next.pods = [{...next.pods[0]!}, {...next.pods[1]!, status: 'Running', ready: '1/1'}];
    view.update(next);
    expect(lines).toEqual([
      'web: waiting for the deployment controller',
      'web: desired 3 · updated 3 · ready 1 · available 1',
      '  pod web-7c9d8f5b6d-a1b2c: Running, 1/1 ready',
      '  pod web-7c9d8f5b6d-d3e4f: ContainerCreating, 0/1 ready',
      '  pod web-5f4b7d9c8a-old01: Terminating, 1/1 ready, 2 restarts (old)',
      'web: desired 3 · updated 3 · ready 2 · available 2',
      '  pod web-7c9d8f5b6d-d3e4f: Running, 1/1 ready',
      '  pod web-5f4b7d9c8a-old01: gone',
    ]);
  });
});

describe('the rollout progress on a terminal', () => {
  const saved = {isTTY: process.stderr.isTTY, rows: process.stderr.rows, columns: process.stderr.columns, CI: process.env.CI, TERM: process.env.TERM};

  afterEach(() => {
    jest.restoreAllMocks();
    Object.assign(process.stderr, {isTTY: saved.isTTY, rows: saved.rows, columns: saved.columns});
    for (const key of ['CI', 'TERM'] as const) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  /** Runs presentRollout on a pretend 100x24 terminal; returns everything written to stderr. */
  async function onTerminal(follow: Parameters<typeof presentRollout>[2]) {
    Object.assign(process.stderr, {isTTY: true, rows: 24, columns: 100});
    delete process.env.CI;
    process.env.TERM = 'xterm-256color';
    let written = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
    const outcome = await presentRollout('web', {}, follow).catch((error: unknown) => error);
    return {written, outcome};
  }

  it('redraws one block in place (counts, then a line per pod) and leaves the last frame with a tick', async () => {
    const {written} = await onTerminal(async (hooks) => {
      hooks.onUpdate(progress());
      hooks.onUpdate(progress({ready: 3, available: 3, pods: progress().pods.slice(0, 2).map((pod) => ({...pod, status: 'Running', ready: '1/1'}))}));
      return 'done';
    });
    // Each redraw moves the cursor up over the previous frame (4 lines: the counts and 3 pods) and clears below it.
    expect(written).toContain('\u001B[4A\r\u001B[J');
    const lastFrame = written.split('\u001B[J').at(-1)!;
    expect(lastFrame.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^✓ Rolled out web: desired 3 · updated 3 · ready 3 · available 3 \(\d+s\)$/),
      '    web-7c9d8f5b6d-a1b2c  Running, 1/1 ready',
      '    web-7c9d8f5b6d-d3e4f  Running, 1/1 ready',
    ]);
    expect(written).toMatch(/web-5f4b7d9c8a-old01 {2}Terminating, 1\/1 ready, 2 restarts \(old\)/);
  });

  it('never draws a block taller than the screen: at most 12 pods, then how many more', async () => {
    const many = progress({pods: Array.from({length: 40}, (_, index) => ({name: `web-7c9d8f5b6d-p${String(index).padStart(3, '0')}`, status: 'Running', ready: '0/1', restarts: 0, current: true}))});
    const {written, outcome} = await onTerminal(async (hooks) => {
      hooks.onUpdate(many);
      throw new Error('stopped');
    });
    expect((outcome as Error).message).toBe('stopped');
    const frames = written.split('\u001B[J');
    for (const frame of frames) expect(frame.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
    expect(written).toContain('… and 29 more pods');
  });
});

describe('the diagnosis of a failed rollout', () => {
  it('lists the events with their count and age, and the crashed instance\'s last log lines, indented', async () => {
    const now = Date.parse('2025-03-04T10:01:00Z');
    const text = await renderDiagnosis(
      {
        pod: 'web-7c9d8f5b6d-x2x4k',
        container: 'app',
        logSource: 'previous',
        logs: ['starting server', 'Error: connect ECONNREFUSED 10.0.0.7:5432'],
        events: [
          {type: 'Normal', reason: 'Scheduled', object: 'Pod/web-7c9d8f5b6d-x2x4k', message: 'Successfully assigned acme-dev/web-7c9d8f5b6d-x2x4k to node-a', count: 1, lastSeen: '2025-03-04T10:00:55Z'},
          {type: 'Warning', reason: 'BackOff', object: 'Pod/web-7c9d8f5b6d-x2x4k', message: 'Back-off restarting failed container app', count: 5, lastSeen: '2025-03-04T10:00:18Z'},
        ],
      },
      now,
    );
    expect(text).toBe(
      [
        'Events:',
        '  Normal   Scheduled  Pod/web-7c9d8f5b6d-x2x4k  Successfully assigned acme-dev/web-7c9d8f5b6d-x2x4k to node-a (5s ago)',
        '  Warning  BackOff    Pod/web-7c9d8f5b6d-x2x4k  Back-off restarting failed container app (×5, 42s ago)',
        '',
        'Last log lines of web-7c9d8f5b6d-x2x4k, container app (the instance that crashed):',
        '  starting server',
        '  Error: connect ECONNREFUSED 10.0.0.7:5432',
      ].join('\n'),
    );
  });

  it('says why the log is missing, and shows no log section for containers that never ran', async () => {
    expect(await renderDiagnosis({pod: 'p', container: 'app', logSource: 'current', logsUnavailable: 'the log endpoint timed out'})).toBe(
      'Last log lines of p, container app:\n  (not available: the log endpoint timed out)',
    );
    expect(await renderDiagnosis({pod: 'p', container: 'app', events: []})).toBe('');
    expect(await renderDiagnosis({pod: 'p', container: 'app', message: 'failed to pull and unpack image "x:1": not found'})).toBe(
      'Container app: failed to pull and unpack image "x:1": not found',
    );
  });

  it('writes ages as kubectl does', () => {
    expect([42_000, 185_000, 7_300_000, 200_000_000].map(formatAge)).toEqual(['42s', '3m', '2h', '2d']);
  });
});
