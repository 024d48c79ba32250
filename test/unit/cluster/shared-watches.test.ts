import {describe, expect, it} from '@jest/globals';

import type {Cluster, KubeObject, WatchOptions} from '../../../src/cluster/index.ts';
import {matcher, withSharedWatches} from '../../../src/cluster/shared-watches.ts';

const pod = (name: string, labels: Record<string, string>): KubeObject => ({apiVersion: 'v1', kind: 'Pod', metadata: {name, labels}});

/** A cluster whose watches the test drives: each watch() call is recorded with its options. */
function fakeCluster() {
  const watches: WatchOptions[] = [];
  const cluster = {
    namespace: 'default',
    watch: (_apiVersion: string, _kind: string, options: WatchOptions) => {
      watches.push(options);
      return new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), {once: true}));
    },
  } as unknown as Cluster;
  return {cluster, watches};
}

describe('shared watches', () => {
  it('decides equality label selectors and name field selectors, and nothing else', () => {
    const web = pod('web-1', {app: 'web', tier: 'front'});
    expect(matcher({labelSelector: 'app=web,tier=front'})!(web)).toBe(true);
    expect(matcher({labelSelector: 'app=api'})!(web)).toBe(false);
    expect(matcher({fieldSelector: 'metadata.name=web-1'})!(web)).toBe(true);
    expect(matcher({labelSelector: 'app in (web)'})).toBeUndefined();
    expect(matcher({fieldSelector: 'status.phase=Running'})).toBeUndefined();
  });

  it('gives watchers of one kind in one namespace one watch, each seeing only what it selects', async () => {
    const {cluster, watches} = fakeCluster();
    const shared = withSharedWatches(cluster);
    const seen: Record<string, string[]> = {web: [], api: []};
    const stop = new AbortController();
    const follow = (app: string) =>
      shared.watch('v1', 'Pod', {namespace: 'shop-dev', labelSelector: `app=${app}`, signal: stop.signal, onEvent: (type, object) => seen[app]!.push(`${type} ${object.metadata.name}`)});
    const web = follow('web');
    const api = follow('api');
    expect(watches).toHaveLength(1);
    watches[0]!.onEvent('ADDED', pod('web-1', {app: 'web'}));
    watches[0]!.onEvent('ADDED', pod('api-1', {app: 'api'}));
    watches[0]!.onSynced?.();
    watches[0]!.onEvent('DELETED', pod('web-1', {app: 'web'}));
    stop.abort();
    await Promise.all([web, api]);
    expect(seen).toEqual({web: ['ADDED web-1', 'DELETED web-1'], api: ['ADDED api-1']});
  });

  it('shows a watcher that comes later what exists first, then tells it the list is complete', () => {
    const {cluster, watches} = fakeCluster();
    const shared = withSharedWatches(cluster);
    const stop = new AbortController();
    void shared.watch('v1', 'Pod', {namespace: 'shop-dev', signal: stop.signal, onEvent: () => {}});
    watches[0]!.onEvent('ADDED', pod('web-1', {app: 'web'}));
    watches[0]!.onSynced?.();
    const events: string[] = [];
    void shared.watch('v1', 'Pod', {namespace: 'shop-dev', labelSelector: 'app=web', signal: stop.signal, onEvent: (type, object) => events.push(`${type} ${object.metadata.name}`), onSynced: () => events.push('synced')});
    expect(events).toEqual(['ADDED web-1', 'synced']);
    expect(watches).toHaveLength(1);
    stop.abort();
  });

  it('watches another namespace, or a selector it cannot decide, on its own', () => {
    const {cluster, watches} = fakeCluster();
    const shared = withSharedWatches(cluster);
    const stop = new AbortController();
    void shared.watch('v1', 'Pod', {namespace: 'shop-dev', signal: stop.signal, onEvent: () => {}});
    void shared.watch('v1', 'Pod', {namespace: 'shop-prod', signal: stop.signal, onEvent: () => {}});
    void shared.watch('v1', 'Pod', {namespace: 'shop-dev', labelSelector: 'app notin (web)', signal: stop.signal, onEvent: () => {}});
    expect(watches).toHaveLength(3);
    stop.abort();
  });
});
