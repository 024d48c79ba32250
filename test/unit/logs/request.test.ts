import {describe, expect, it} from '@jest/globals';

import {DEFAULT_TAIL, planLogs} from '../../../src/logs/request.js';

const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return {code: (error as {code?: string}).code, message: (error as Error).message};
  }
  throw new Error('expected a usage error');
};

describe('planning gshift logs', () => {
  it('shows a small, stated backlog by default and every line with --tail -1', () => {
    expect(planLogs({app: 'web'}).tailLines).toBe(DEFAULT_TAIL);
    expect(planLogs({app: 'web', tail: -1}).tailLines).toBeUndefined();
    expect(planLogs({app: 'web', tail: 0}).tailLines).toBe(0);
  });

  it('shows every line since --since unless --tail also limits them', () => {
    expect(planLogs({app: 'web', sinceSeconds: 600_000})).toMatchObject({sinceSeconds: 600});
    expect(planLogs({app: 'web', sinceSeconds: 600_000}).tailLines).toBeUndefined();
    expect(planLogs({app: 'web', sinceSeconds: 600_000, tail: 5}).tailLines).toBe(5);
  });

  it('takes --since-time in RFC 3339, with an offset, to whole seconds in UTC', () => {
    expect(planLogs({app: 'web', sinceTime: '2026-05-01T11:30:00.75+02:00'}).sinceTime).toBe('2026-05-01T09:30:00Z');
    expect(usage(() => planLogs({app: 'web', sinceTime: 'yesterday'})).message).toMatch(/not an RFC 3339 time/);
  });

  it('refuses a negative --tail other than -1', () => {
    expect(usage(() => planLogs({app: 'web', tail: -2}))).toMatchObject({code: 'USAGE'});
  });

  it('needs exactly one of an app and --db', () => {
    expect(usage(() => planLogs({}))).toMatchObject({code: 'USAGE'});
    expect(usage(() => planLogs({app: 'web', db: 'orders'})).message).toMatch(/either an app or a database/);
    expect(planLogs({db: 'orders'}).workload).toEqual({kind: 'db', name: 'orders'});
  });

  it('refuses --previous with --follow, and names that are not DNS labels', () => {
    expect(usage(() => planLogs({app: 'web', previous: true, follow: true})).message).toMatch(/cannot be followed/);
    expect(usage(() => planLogs({app: 'Web'})).message).toMatch(/not a valid app name/);
  });
});
