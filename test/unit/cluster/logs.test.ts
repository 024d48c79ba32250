import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';

import {connect, type Cluster} from '../../../src/cluster/index.js';
import {LogResume} from '../../../src/cluster/log-resume.js';
import {FakeApiServer, PROTOCOLS, kubeconfigFor, status, type RecordedRequest} from './fake-api-server.js';

describe('LogResume', () => {
  it('strips the timestamps it asked for and holds back an unfinished line', () => {
    const resume = new LogResume(false);
    expect(resume.push('2026-01-02T03:04:05.1Z first\n2026-01-02T03:04:05.2Z sec')).toBe('first\n');
    expect(resume.push('ond\n')).toBe('second\n');
    expect(resume.push('2026-01-02T03:04:06Z tail')).toBe('');
    expect(resume.flush()).toBe('tail');
  });

  it('keeps timestamps when the user asked for them', () => {
    expect(new LogResume(true).push('2026-01-02T03:04:05.123456789Z hello\n')).toBe('2026-01-02T03:04:05.123456789Z hello\n');
  });

  it('after a reconnect skips the lines already shown, comparing nanoseconds Go trimmed', () => {
    const resume = new LogResume(false);
    resume.push('2026-01-02T03:04:05.12Z one\n2026-01-02T03:04:05.1234Z two\n2026-01-02T03:04:05.5Z cut');
    expect(resume.resume()).toBe('2026-01-02T03:04:05Z');
    // The server sends the whole second again, including the line that was cut off.
    expect(resume.push('2026-01-02T03:04:05.12Z one\n2026-01-02T03:04:05.1234Z two\n2026-01-02T03:04:05.5Z cut off\n2026-01-02T03:04:07Z three\n')).toBe('cut off\nthree\n');
  });
});

describe.each(PROTOCOLS)('over %s', (protocol) => {
  describe('streamLogs', () => {
    let server: FakeApiServer;
    let dir: string;
    let cluster: Cluster;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gshift-logs-'));
      server = await new FakeApiServer(protocol).start();
      writeFileSync(join(dir, 'config'), kubeconfigFor(server.url, {token: 't'}, {namespace: 'shop-dev'}));
      cluster = await connect({kubeconfig: join(dir, 'config'), env: {}});
    });
    afterEach(async () => {
      await cluster.close();
      await server.stop();
      rmSync(dir, {recursive: true, force: true});
    });

    const collect = (stream: PassThrough) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      return () => Buffer.concat(chunks).toString('utf8');
    };

    it('copies a log as the server sends it when not following', async () => {
      server.route('GET /api/v1/namespaces/shop-dev/pods/web-1/log', (_request, response) => {
        response.writeHead(200, {'content-type': 'text/plain'});
        response.end('line 1\nline 2\n');
      });
      const out = new PassThrough();
      const text = collect(out);
      await cluster.streamLogs('shop-dev', 'web-1', 'web', {tailLines: 2}, out);
      expect(text()).toBe('line 1\nline 2\n');
      const query = server.requests[0]!.url.searchParams;
      expect(Object.fromEntries(query)).toEqual({container: 'web', tailLines: '2'});
      expect(await cluster.readLogs('shop-dev', 'web-1', 'web')).toBe('line 1\nline 2\n');
    });

    it('resumes a followed log after the connection drops, without repeating lines', async () => {
      const requests: RecordedRequest[] = [];
      server.route('GET /api/v1/namespaces/shop-dev/pods/web-1/log', (request, response) => {
        requests.push(request);
        response.writeHead(200, {'content-type': 'text/plain'});
        if (requests.length === 1) {
          response.write('2026-01-02T03:04:05.1Z one\n2026-01-02T03:04:05.2Z two\n2026-01-02T03:04:05.3Z thr');
          setTimeout(() => server.cut(response), 20);
        } else {
          response.end('2026-01-02T03:04:05.1Z one\n2026-01-02T03:04:05.2Z two\n2026-01-02T03:04:05.3Z three\n2026-01-02T03:04:09Z four\n');
        }
      });
      const out = new PassThrough();
      const text = collect(out);
      await cluster.streamLogs('shop-dev', 'web-1', undefined, {follow: true, tailLines: 10}, out);
      expect(text()).toBe('one\ntwo\nthree\nfour\n');
      expect(requests[0]!.url.searchParams.get('timestamps')).toBe('true');
      expect(requests[0]!.url.searchParams.get('tailLines')).toBe('10');
      expect(requests[1]!.url.searchParams.get('sinceTime')).toBe('2026-01-02T03:04:05Z');
      expect(requests[1]!.url.searchParams.has('tailLines')).toBe(false);
    });

    it('names the pod when it does not exist', async () => {
      server.json('GET /api/v1/namespaces/shop-dev/pods/gone/log', 404, status(404, 'NotFound', 'pods "gone" not found', {name: 'gone', kind: 'pods'}));
      await expect(cluster.streamLogs('shop-dev', 'gone', undefined, {follow: true}, new PassThrough())).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'Pod "gone" was not found in namespace "shop-dev".',
      });
    });
  });
});
