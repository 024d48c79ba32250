import {describe, expect, it} from '@jest/globals';

import {STREAMS_PER_CONNECTION, StreamConnections} from '../../../src/cluster/stream-connections.js';

/** Stands in for a dispatcher client-node made: records whether it was closed or destroyed. */
const dispatcher = (name: string, ended: string[]) => ({name, close: async () => void ended.push(`close ${name}`), destroy: async () => void ended.push(`destroy ${name}`)});

describe('connections for followed logs', () => {
  it('puts up to STREAMS_PER_CONNECTION streams on one connection, then opens another', () => {
    const ended: string[] = [];
    const pool = new StreamConnections();
    const leases = Array.from({length: STREAMS_PER_CONNECTION + 1}, (_, index) => pool.lease(dispatcher(`d${index}`, ended)));
    expect(new Set(leases.map((lease) => (lease.dispatcher as {name: string}).name))).toEqual(new Set(['d0', `d${STREAMS_PER_CONNECTION}`]));
    expect(pool.size).toBe(2);
    // The dispatchers made for streams that joined an open connection are closed at once.
    expect(ended).toHaveLength(STREAMS_PER_CONNECTION - 1);
  });

  it('sends no new stream over a retired (stalled) connection and closes it with its last stream', () => {
    const ended: string[] = [];
    const pool = new StreamConnections();
    const first = pool.lease(dispatcher('stalled', ended));
    const second = pool.lease(dispatcher('unused', ended));
    first.retire();
    const third = pool.lease(dispatcher('fresh', ended));
    expect((third.dispatcher as {name: string}).name).toBe('fresh');
    first.release();
    expect(ended).not.toContain('destroy stalled');
    second.release();
    second.release();
    expect(ended).toContain('destroy stalled');
  });
});
