import {describe, expect, it} from '@jest/globals';

import {lineFilter} from '../../../src/logs/filters.js';
import {splitStamp, structuredMessage} from '../../../src/logs/line.js';
import {mergeByTime} from '../../../src/logs/merge.js';
import {colourSlot, podLabel, streamLabel} from '../../../src/logs/pod-label.js';
import {GshiftError} from '../../../src/errors.js';

describe('pod labels', () => {
  it('drops the ReplicaSet hash from a Deployment pod', () => {
    expect(podLabel('web-7d9f8c6b5-x2k4p', {'pod-template-hash': '7d9f8c6b5'})).toBe('web-x2k4p');
    expect(podLabel('my-web-app-7d9f8c6b5-x2k4p', {'pod-template-hash': '7d9f8c6b5'})).toBe('my-web-app-x2k4p');
  });

  it('keeps StatefulSet and bare pod names', () => {
    expect(podLabel('db-0', {'controller-revision-hash': 'db-5c6d'})).toBe('db-0');
    expect(podLabel('debug', undefined)).toBe('debug');
  });

  it('names the container only when several are shown', () => {
    expect(streamLabel('web-x2k4p', 'proxy', true)).toBe('web-x2k4p/proxy');
    expect(streamLabel('web-x2k4p', 'web', false)).toBe('web-x2k4p');
  });

  it('gives a pod the same colour every time', () => {
    expect(colourSlot('web-x2k4p', 10)).toBe(colourSlot('web-x2k4p', 10));
    expect(new Set(['web-a', 'web-b', 'web-c', 'web-d', 'web-e'].map((label) => colourSlot(label, 10))).size).toBeGreaterThan(1);
  });
});

describe('log lines', () => {
  it('splits the kubelet timestamp off', () => {
    expect(splitStamp('2026-01-01T10:00:02.1Z hello world')).toEqual({time: '2026-01-01T10:00:02.1Z', stamp: '2026-01-01T10:00:02.100000000Z', message: 'hello world'});
    expect(splitStamp('no stamp here')).toEqual({message: 'no stamp here'});
  });

  it('parses a structured (JSON object) message, and nothing else', () => {
    expect(structuredMessage('{"level":"info","msg":"up"}')).toEqual({level: 'info', msg: 'up'});
    expect(structuredMessage('[1,2]')).toBeUndefined();
    expect(structuredMessage('{not json}')).toBeUndefined();
  });

  it('merges pods by time, keeping each pod in its own order', () => {
    const a = [{stamp: '1', id: 'a1'}, {stamp: '3', id: 'a3'}];
    const b = [{stamp: '2', id: 'b2'}, {stamp: '3', id: 'b3'}, {stamp: '4', id: 'b4'}];
    expect(mergeByTime([a, b, []]).map((entry) => entry.id)).toEqual(['a1', 'b2', 'a3', 'b3', 'b4']);
  });
});

describe('--grep and --exclude', () => {
  it('keeps matching lines and drops excluded ones', () => {
    const keep = lineFilter('ERROR|WARN', 'healthz');
    expect(['ERROR db down', 'WARN slow healthz', 'INFO ok'].filter(keep)).toEqual(['ERROR db down']);
    expect(lineFilter()('anything')).toBe(true);
  });

  it('refuses an invalid regular expression, naming the flag', () => {
    expect(() => lineFilter('(')).toThrow(GshiftError);
    expect(() => lineFilter(undefined, '[a-')).toThrow(/--exclude "\[a-" is not a valid regular expression/);
  });
});
