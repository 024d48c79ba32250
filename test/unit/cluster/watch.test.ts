import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import type {ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';

import {connect, type Cluster, type KubeObject, type WatchEventType} from '../../../src/cluster/index.js';
import {reconnectDelay, WatchCache} from '../../../src/cluster/watch-cache.js';
import {aggregated, CORE_AND_APPS} from './discovery-documents.js';
import {FakeApiServer, PROTOCOLS, kubeconfigFor, type RecordedRequest} from './fake-api-server.js';

const configMap = (name: string, resourceVersion: string, uid = `uid-${name}`): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {name, namespace: 'shop-dev', uid, resourceVersion},
});

describe('WatchCache.reconcile (the re-list after 410 Gone)', () => {
  it('reports everything as ADDED on the first list', () => {
    const cache = new WatchCache();
    expect(cache.reconcile([configMap('a', '1'), configMap('b', '2')]).map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b']);
  });

  it('emits DELETED for vanished objects, ADDED for new ones and MODIFIED for changed ones, and nothing for the rest', () => {
    const cache = new WatchCache();
    cache.reconcile([configMap('kept', '1'), configMap('changed', '2'), configMap('gone', '3')]);
    cache.record({type: 'ADDED', object: configMap('seen-on-watch', '4')});
    const events = cache.reconcile([configMap('kept', '1'), configMap('changed', '7'), configMap('seen-on-watch', '4'), configMap('new', '8')]);
    expect(events.map((event) => `${event.type} ${event.object.metadata.name} ${event.object.metadata.resourceVersion}`)).toEqual(['DELETED gone 3', 'MODIFIED changed 7', 'ADDED new 8']);
    expect(cache.size).toBe(4);
  });

  it('reports an object recreated under the same name as DELETED then ADDED', () => {
    const cache = new WatchCache();
    cache.reconcile([configMap('web', '1', 'old-uid')]);
    expect(cache.reconcile([configMap('web', '9', 'new-uid')]).map((event) => `${event.type} ${event.object.metadata.uid}`)).toEqual(['DELETED old-uid', 'ADDED new-uid']);
  });

  it('backs off exponentially up to 30 s', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 10].map((attempt) => reconnectDelay(attempt, middle))).toEqual([500, 1000, 2000, 4000, 30_000]);
  });
});

describe.each(PROTOCOLS)('over %s', (protocol) => {
  describe('watch against a server that ends and expires watches', () => {
    let server: FakeApiServer;
    let dir: string;
    let cluster: Cluster;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gshift-watch-'));
      server = new FakeApiServer(protocol).json('GET /api', 200, aggregated(CORE_AND_APPS, true)).json('GET /apis', 200, aggregated(CORE_AND_APPS, false));
      await server.start();
      writeFileSync(join(dir, 'config'), kubeconfigFor(server.url, {token: 't'}, {namespace: 'shop-dev'}));
      cluster = await connect({kubeconfig: join(dir, 'config'), env: {}});
    });
    afterEach(async () => {
      await cluster.close();
      await server.stop();
      rmSync(dir, {recursive: true, force: true});
    });

    const line = (response: ServerResponse, type: string, object: unknown) => response.write(`${JSON.stringify({type, object})}\n`);

    const initialEventsEnd = (resourceVersion: string) => ({kind: 'ConfigMap', apiVersion: 'v1', metadata: {resourceVersion, annotations: {'k8s.io/initial-events-end': 'true'}}});

    it('gets the current state in the watch itself (WatchList), resumes from the last resourceVersion, syncs again on 410 and converges', async () => {
      const states = [
        {resourceVersion: '11', items: [configMap('a', '10'), configMap('b', '11')]},
        {resourceVersion: '15', items: [configMap('a', '12'), configMap('c', '14')]},
      ];
      const watches: RecordedRequest[] = [];
      server.route('GET /api/v1/namespaces/shop-dev/configmaps', (request, response) => {
        watches.push(request);
        response.writeHead(200, {'content-type': 'application/json'});
        if (request.url.searchParams.get('sendInitialEvents') === 'true') {
          const {resourceVersion, items} = states.shift()!;
          for (const item of items) line(response, 'ADDED', item);
          line(response, 'BOOKMARK', initialEventsEnd(resourceVersion));
        }
        if (watches.length === 1) {
          line(response, 'MODIFIED', configMap('a', '12'));
          response.end(); // the server ends the watch (its timeout)
        } else if (watches.length === 2) {
          line(response, 'ERROR', {kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 12 (14)'});
          response.end();
        } else {
          line(response, 'ADDED', configMap('d', '16'));
          // and keep the connection open, as a live watch does
        }
      });

      const controller = new AbortController();
      const seen: string[] = [];
      let synced = 0;
      const done = cluster.watch('v1', 'ConfigMap', {
        signal: controller.signal,
        onSynced: () => synced++,
        onEvent: (type: WatchEventType, object: KubeObject) => {
          seen.push(`${type} ${object.metadata.name} ${object.metadata.resourceVersion}`);
          if (object.metadata.name === 'd') controller.abort();
        },
      });
      await expect(done).resolves.toBeUndefined();

      expect(synced).toBe(1);
      expect(seen).toEqual(['ADDED a 10', 'ADDED b 11', 'MODIFIED a 12', 'DELETED b 11', 'ADDED c 14', 'ADDED d 16']);
      // Every request is a watch: no list.
      expect(watches.map((request) => [request.url.searchParams.get('watch'), request.url.searchParams.get('sendInitialEvents'), request.url.searchParams.get('resourceVersion')])).toEqual([
        ['1', 'true', null],
        ['1', null, '12'],
        ['1', 'true', null],
      ]);
      expect(watches[0]!.url.searchParams.get('resourceVersionMatch')).toBe('NotOlderThan');
    });

    it('lists first on a server that does not stream the current state (WatchList off), resumes, re-lists on 410 and converges, then stops when aborted', async () => {
      let refused = 0;
      const lists = [
        {resourceVersion: '10', items: [configMap('a', '10'), configMap('b', '11')]},
        {resourceVersion: '15', items: [configMap('a', '12'), configMap('c', '14')]},
      ];
      const watches: RecordedRequest[] = [];
      server.route('GET /api/v1/namespaces/shop-dev/configmaps', (request, response) => {
        if (request.url.searchParams.has('sendInitialEvents')) {
          refused++;
          response.writeHead(422, {'content-type': 'application/json'});
          response.end(JSON.stringify({kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 422, reason: 'Invalid', message: 'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled'}));
          return;
        }
        response.writeHead(200, {'content-type': 'application/json'});
        if (request.url.searchParams.get('watch') !== '1') {
          const {resourceVersion, items} = lists.shift()!;
          response.end(JSON.stringify({kind: 'ConfigMapList', metadata: {resourceVersion}, items}));
          return;
        }
        watches.push(request);
        if (watches.length === 1) {
          line(response, 'MODIFIED', configMap('a', '12'));
          line(response, 'BOOKMARK', {kind: 'ConfigMap', apiVersion: 'v1', metadata: {resourceVersion: '13'}});
          response.end(); // the server ends the watch (its timeout)
        } else if (watches.length === 2) {
          line(response, 'ERROR', {kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 13 (14)'});
          response.end();
        } else {
          line(response, 'ADDED', configMap('d', '16'));
          // and keep the connection open, as a live watch does
        }
      });

      const controller = new AbortController();
      const seen: string[] = [];
      let synced = false;
      const done = cluster.watch('v1', 'ConfigMap', {
        signal: controller.signal,
        onSynced: () => (synced = true),
        onEvent: (type: WatchEventType, object: KubeObject) => {
          seen.push(`${type} ${object.metadata.name} ${object.metadata.resourceVersion}`);
          if (object.metadata.name === 'd') controller.abort();
        },
      });
      await expect(done).resolves.toBeUndefined();

      expect(synced).toBe(true);
      expect(seen).toEqual(['ADDED a 10', 'ADDED b 11', 'MODIFIED a 12', 'DELETED b 11', 'ADDED c 14', 'ADDED d 16']);
      expect(watches.map((request) => request.url.searchParams.get('resourceVersion'))).toEqual(['10', '13', '15']);
      expect(watches[0]!.url.searchParams.get('allowWatchBookmarks')).toBe('true');
      // Refused once: the run does not ask again.
      expect(refused).toBe(1);
    });

    it('reconnects after the connection drops, telling the consumer', async () => {
      let watchCount = 0;
      const resumedFrom: Array<string | null> = [];
      server.route('GET /api/v1/namespaces/shop-dev/configmaps', (request, response) => {
        watchCount++;
        resumedFrom.push(request.url.searchParams.get('resourceVersion'));
        response.writeHead(200, {'content-type': 'application/json'});
        if (watchCount === 1) {
          line(response, 'BOOKMARK', initialEventsEnd('1'));
          line(response, 'ADDED', configMap('x', '2'));
          setTimeout(() => server.cut(response), 20);
        } else {
          line(response, 'MODIFIED', configMap('x', '3'));
        }
      });
      const controller = new AbortController();
      const seen: string[] = [];
      const reconnects: number[] = [];
      await cluster.watch('v1', 'ConfigMap', {
        signal: controller.signal,
        onReconnect: (attempt) => reconnects.push(attempt),
        onEvent: (type, object) => {
          seen.push(`${type} ${object.metadata.resourceVersion}`);
          if (type === 'MODIFIED') controller.abort();
        },
      });
      expect(seen).toEqual(['ADDED 2', 'MODIFIED 3']);
      expect(reconnects).toEqual([1]);
      // After the last event seen, not from the start again.
      expect(resumedFrom).toEqual([null, '2']);
    });

    it('fails at once on errors a retry cannot fix', async () => {
      server.json('GET /api/v1/namespaces/shop-dev/configmaps', 403, {
        kind: 'Status',
        code: 403,
        reason: 'Forbidden',
        message: 'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace "shop-dev"',
      });
      await expect(cluster.watch('v1', 'ConfigMap', {onEvent: () => undefined})).rejects.toMatchObject({code: 'FORBIDDEN', message: 'You (bob) may not list configmaps in namespace "shop-dev".'});
    });
  });
});
