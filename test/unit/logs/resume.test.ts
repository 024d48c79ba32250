import {describe, expect, it} from '@jest/globals';

import {normaliseStamp} from '../../../src/logs/line.js';
import {ResumePoint} from '../../../src/logs/resume.js';

const at = (text: string) => normaliseStamp(text)!;

/** Feeds stamped lines through the point; returns the ones shown and any gaps. */
function feed(point: ResumePoint, stamps: string[]) {
  const shown: string[] = [];
  const gaps: unknown[] = [];
  for (const stamp of stamps) {
    const decision = point.accept(at(stamp));
    if (decision.gap) gaps.push(decision.gap);
    if (decision.show) shown.push(stamp);
  }
  return {shown, gaps};
}

describe('resuming a followed log by timestamp', () => {
  it('asks again from the whole second of the last line shown', () => {
    const point = new ResumePoint();
    expect(point.resume()).toBeUndefined();
    feed(point, ['2026-01-01T10:00:01.5Z', '2026-01-01T10:00:02.25Z']);
    expect(point.resume()).toBe('2026-01-01T10:00:02Z');
  });

  it('skips what the server sends again and shows what is new', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:01.1Z', '2026-01-01T10:00:02.1Z', '2026-01-01T10:00:02.2Z']);
    point.resume();
    const again = feed(point, ['2026-01-01T10:00:02.1Z', '2026-01-01T10:00:02.2Z', '2026-01-01T10:00:02.3Z', '2026-01-01T10:00:03Z']);
    expect(again).toEqual({shown: ['2026-01-01T10:00:02.3Z', '2026-01-01T10:00:03Z'], gaps: []});
  });

  it('keeps lines that share the last timestamp apart: as many are skipped as were shown', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:02.5Z', '2026-01-01T10:00:02.5Z']);
    point.resume();
    // The server has three lines at .5: two were shown, the third is new.
    const again = feed(point, ['2026-01-01T10:00:02.5Z', '2026-01-01T10:00:02.5Z', '2026-01-01T10:00:02.5Z']);
    expect(again.shown).toEqual(['2026-01-01T10:00:02.5Z']);
    point.resume();
    expect(feed(point, ['2026-01-01T10:00:02.5Z', '2026-01-01T10:00:02.5Z', '2026-01-01T10:00:02.5Z']).shown).toEqual([]);
  });

  it('compares trimmed nanoseconds correctly (Go drops trailing zeros)', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:02.1Z']);
    point.resume();
    expect(feed(point, ['2026-01-01T10:00:02.100000000Z', '2026-01-01T10:00:02.10000001Z']).shown).toEqual(['2026-01-01T10:00:02.10000001Z']);
  });

  it('reports a gap when the lines it stopped at are no longer sent', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:02.1Z']);
    point.resume();
    const again = feed(point, ['2026-01-01T10:00:09Z']);
    expect(again.shown).toEqual(['2026-01-01T10:00:09Z']);
    expect(again.gaps).toEqual([expect.objectContaining({after: at('2026-01-01T10:00:02.1Z'), before: at('2026-01-01T10:00:09Z')})]);
  });

  it('does not report a gap for a new container instance, whose log never held the old lines', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:02.1Z']);
    point.resume(false);
    expect(feed(point, ['2026-01-01T10:00:09Z'])).toEqual({shown: ['2026-01-01T10:00:09Z'], gaps: []});
  });

  it('survives several reconnects before anything new arrives', () => {
    const point = new ResumePoint();
    feed(point, ['2026-01-01T10:00:02.1Z', '2026-01-01T10:00:02.1Z']);
    point.resume();
    feed(point, ['2026-01-01T10:00:02.1Z']);
    point.resume();
    expect(feed(point, ['2026-01-01T10:00:02.1Z', '2026-01-01T10:00:02.1Z', '2026-01-01T10:00:03Z']).shown).toEqual(['2026-01-01T10:00:03Z']);
  });

  it('finds its place by text when the backlog began in the middle of lines sharing a timestamp', () => {
    const point = new ResumePoint();
    const stamp = at('2026-01-01T10:00:02.5Z');
    // --tail 2 of four lines written in the same millisecond: c and d were shown.
    for (const text of ['c', 'd']) point.accept(stamp, text);
    point.resume();
    const shown = ['a', 'b', 'c', 'd', 'e'].filter((text) => point.accept(stamp, text).show);
    expect(shown).toEqual(['e']);
  });

  it('reports a gap when the run it stopped at is not sent again', () => {
    const point = new ResumePoint();
    const stamp = at('2026-01-01T10:00:02.5Z');
    point.accept(stamp, 'x');
    point.resume();
    expect(point.accept(stamp, 'y').show).toBe(false);
    expect(point.accept(at('2026-01-01T10:00:03Z'), 'z')).toMatchObject({show: true, gap: {after: stamp}});
  });

  it('shows lines without a timestamp as they are', () => {
    const point = new ResumePoint();
    expect(point.accept(undefined)).toEqual({show: true});
  });
});
