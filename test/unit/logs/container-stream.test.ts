import {describe, expect, it} from '@jest/globals';

import type {Cluster, LogOptions} from '../../../src/cluster/index.js';
import {GshiftError} from '../../../src/errors.js';
import {ContainerStream} from '../../../src/logs/container-stream.js';
import type {LogEntry, LogEvent, LogSink} from '../../../src/logs/events.js';
import type {ContainerInstance} from '../../../src/logs/workload.js';

const stamp = (second: number, fraction = 0) => `2026-01-01T10:00:${String(second).padStart(2, '0')}.${String(fraction).padStart(3, '0')}Z`;
const line = (second: number, text: string, fraction = 0) => `${stamp(second, fraction)} ${text}`;

/** One scripted answer per log request: lines, then how the request ends. */
type Answer = {lines: string[]; then: 'end' | 'fail' | 'hang'};

/** A cluster whose log requests answer from a script, recording what was asked. */
function scriptedCluster(answers: Answer[], previous = '') {
  const requests: LogOptions[] = [];
  const previousRequests: LogOptions[] = [];
  const cluster = {
    async *logLines(_namespace: string, _pod: string, _container: string, options: LogOptions) {
      requests.push(options);
      const answer = answers.shift() ?? {lines: [], then: 'hang'};
      options.onConnected?.();
      for (const text of answer.lines) yield [text];
      if (answer.then === 'fail') throw new GshiftError('UNREACHABLE', 'connection reset');
      if (answer.then === 'hang') await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
    },
    async readLogs(_namespace: string, _pod: string, _container: string, options: LogOptions) {
      previousRequests.push(options);
      return previous;
    },
  } as unknown as Cluster;
  return {cluster, requests, previousRequests};
}

function recordingSink() {
  const lines: string[] = [];
  const events: LogEvent[] = [];
  const sink: LogSink = {line: (entry: LogEntry) => void lines.push(entry.message), event: (event) => void events.push(event)};
  return {sink, lines, events};
}

const running = (restarts = 0): ContainerInstance => ({running: true, started: true, restarts});
const target = {namespace: 'shop', pod: 'web-1', container: 'web', label: 'web-1'};
const tuning = {idleMs: 60_000, drainMs: 10, retryDelay: () => 5};
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('following one container', () => {
  it('resumes a dropped connection from the last line, showing nothing twice', async () => {
    const {cluster, requests} = scriptedCluster([
      {lines: [line(1, 'a'), line(2, 'b')], then: 'fail'},
      {lines: [line(2, 'b'), line(3, 'c')], then: 'hang'},
    ]);
    const {sink, lines, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {tailLines: 10}, () => true, sink, tuning, running());
    await settle();
    stream.stop();
    await stream.done;
    expect(lines).toEqual(['a', 'b', 'c']);
    expect(requests.map((request) => request.sinceTime ?? `tail ${request.tailLines}`)).toEqual(['tail 10', '2026-01-01T10:00:02Z']);
    expect(events.map((event) => event.event)).toEqual(['reconnecting']);
  });

  it('reads the end of an instance that ended while disconnected from its previous log', async () => {
    const {cluster, previousRequests} = scriptedCluster([{lines: [line(1, 'a')], then: 'fail'}, {lines: [line(9, 'new instance')], then: 'hang'}], `${line(1, 'a')}\n${line(2, 'last words')}\n`);
    const {sink, lines, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {}, () => true, sink, {...tuning, retryDelay: () => 30}, running());
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.update(running(1));
    await settle();
    stream.stop();
    await stream.done;
    expect(previousRequests).toEqual([expect.objectContaining({previous: true, sinceTime: '2026-01-01T10:00:01Z'})]);
    expect(lines).toEqual(['a', 'last words', 'new instance']);
    expect(events.filter((event) => event.event === 'gap')).toEqual([]);
  });

  it('after a log that ended with its container, reads the next instance from where it ended, without its previous log', async () => {
    const {cluster, requests, previousRequests} = scriptedCluster([{lines: [line(1, 'a'), line(2, 'exiting')], then: 'end'}, {lines: [line(5, 'started again')], then: 'hang'}]);
    const {sink, lines, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {}, () => true, sink, tuning, running());
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.update({running: false, started: true, restarts: 0});
    stream.update(running(1));
    await settle();
    stream.stop();
    await stream.done;
    expect(lines).toEqual(['a', 'exiting', 'started again']);
    expect(previousRequests).toEqual([]);
    expect(requests[1]).toMatchObject({sinceTime: '2026-01-01T10:00:02Z'});
    expect(events.map((event) => event.event)).toEqual(['restarted']);
  });

  it('marks a gap when the backlog could only be asked for again after failures', async () => {
    const requests: LogOptions[] = [];
    let calls = 0;
    const cluster = {
      async *logLines(_namespace: string, _pod: string, _container: string, options: LogOptions) {
        requests.push(options);
        if (++calls === 1) throw new GshiftError('UNREACHABLE', 'connection refused');
        options.onConnected?.();
        yield [line(3, 'x')];
        await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
      },
    } as unknown as Cluster;
    const {sink, lines, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {tailLines: 50}, () => true, sink, tuning, running());
    await settle();
    stream.stop();
    await stream.done;
    expect(lines).toEqual(['x']);
    expect(requests.map((request) => request.tailLines)).toEqual([50, 50]);
    expect(events.find((event) => event.event === 'gap')).toMatchObject({reason: expect.stringMatching(/first requests for this log failed/)});
  });

  it('marks a gap when instances came and went unseen', async () => {
    const {cluster} = scriptedCluster([{lines: [line(1, 'a')], then: 'fail'}, {lines: [], then: 'hang'}]);
    const {sink, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {}, () => true, sink, {...tuning, retryDelay: () => 30}, running());
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.update(running(3));
    await settle();
    stream.stop();
    await stream.done;
    expect(events.find((event) => event.event === 'gap')).toMatchObject({pod: 'web-1', container: 'web', reason: expect.stringMatching(/2 instances of the container started and ended/)});
  });

  it('tells apart text without a timestamp (the node speaking) from log lines', async () => {
    const {cluster} = scriptedCluster([{lines: [line(1, 'a'), 'failed to create fsnotify watcher: too many open files'], then: 'hang'}]);
    const {sink, lines, events} = recordingSink();
    const stream = new ContainerStream(cluster, target, {}, () => true, sink, tuning, running());
    await settle();
    stream.stop();
    await stream.done;
    expect(lines).toEqual(['a']);
    expect(events).toEqual([expect.objectContaining({event: 'notice', message: 'failed to create fsnotify watcher: too many open files'})]);
  });

  it('reconnects a stream that went quiet while the container runs, and filters after de-duplicating', async () => {
    const {cluster, requests} = scriptedCluster([
      {lines: [line(1, 'ERROR one'), line(1, 'INFO two', 5)], then: 'hang'},
      {lines: [line(1, 'ERROR one'), line(1, 'INFO two', 5), line(2, 'ERROR three')], then: 'hang'},
    ]);
    const {sink, lines} = recordingSink();
    const stream = new ContainerStream(cluster, target, {}, (message) => message.startsWith('ERROR'), sink, tuning, running());
    await new Promise((resolve) => setTimeout(resolve, 10));
    stream.lastActivity -= 120_000;
    stream.checkIdle(Date.now());
    await settle();
    stream.stop();
    await stream.done;
    expect(lines).toEqual(['ERROR one', 'ERROR three']);
    expect(requests).toHaveLength(2);
  });
});
