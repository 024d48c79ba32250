import {execFileSync} from 'node:child_process';
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from '@jest/globals';

import {connect, type Cluster} from '../../../src/cluster/index.js';
import {FakeApiServer, PROTOCOLS, fixtureBase64, fixturePath, kubeconfigFor} from './fake-api-server.js';
import {rejection} from '../../support/rejection.ts';

const VERSION = {major: '1', minor: '36', gitVersion: 'v1.36.3', platform: 'linux/amd64'};

describe.each(PROTOCOLS)('over %s', (protocol) => {
  let server: FakeApiServer;
  let dir: string;
  let cluster: Cluster | undefined;

  beforeAll(async () => {
    server = await new FakeApiServer(protocol).json('GET /version', 200, VERSION).start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gshift-credentials-'));
    server.requests.length = 0;
  });
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
    rmSync(dir, {recursive: true, force: true});
  });

  async function connectWith(user: Record<string, unknown>, serverUrl = server.url): Promise<Cluster> {
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfigFor(serverUrl, user));
    cluster = await connect({kubeconfig: file, env: {}});
    return cluster;
  }

  describe('credentials reach the API server', () => {
    it('sends a bearer token', async () => {
      const connected = await connectWith({token: 'token-abc'});
      expect(await connected.serverVersion()).toEqual(VERSION);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer token-abc');
      // HTTP/2 when the server offers it; HTTP/1.1 when ALPN does not select h2 (an HTTP/1.1-only proxy).
      expect(server.httpVersions).toEqual([protocol === 'h2' ? '2.0' : '1.1']);
    });

    it('sends the trimmed content of a token file', async () => {
      writeFileSync(join(dir, 'token'), 'from-file\n');
      await (await connectWith({'token-file': 'token'})).serverVersion();
      expect(server.requests[0]!.headers.authorization).toBe('Bearer from-file');
    });

    it('presents a client certificate given as data', async () => {
      await (await connectWith({'client-certificate-data': fixtureBase64('client.crt'), 'client-key-data': fixtureBase64('client.key')})).serverVersion();
      expect(server.requests[0]!.clientCN).toBe('alice');
      expect(server.requests[0]!.headers.authorization).toBeUndefined();
    });

    it('presents a client certificate given as files', async () => {
      await (await connectWith({'client-certificate': fixturePath('client.crt'), 'client-key': fixturePath('client.key')})).serverVersion();
      expect(server.requests[0]!.clientCN).toBe('alice');
    });

    it('runs an exec credential plugin and sends the token it prints', async () => {
      const plugin = join(dir, 'plugin.mjs');
      writeFileSync(
        plugin,
        `#!/usr/bin/env node
  const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
  process.stdout.write(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {token: 'exec-' + process.argv[2] + '-' + info.spec.interactive}}));
  `,
      );
      chmodSync(plugin, 0o755);
      const connected = await connectWith({exec: {apiVersion: 'client.authentication.k8s.io/v1', command: './plugin.mjs', args: ['issued'], interactiveMode: 'Never'}});
      await connected.serverVersion();
      await connected.serverVersion();
      expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer exec-issued-false', 'Bearer exec-issued-false']);
    });

    it('names an exec plugin that is not installed', async () => {
      const connected = await connectWith({exec: {apiVersion: 'client.authentication.k8s.io/v1', command: 'gshift-test-no-such-plugin'}});
      const error = await rejection(connected.serverVersion());
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toBe('The credential plugin "gshift-test-no-such-plugin" of kubeconfig user "tester" is not installed or not on PATH.');
    });

    it('passes on why an exec plugin failed', async () => {
      const plugin = join(dir, 'failing.sh');
      writeFileSync(plugin, '#!/bin/sh\necho "error: you must be logged in to the server" >&2\nexit 1\n');
      chmodSync(plugin, 0o755);
      const error = await rejection((await connectWith({exec: {apiVersion: 'client.authentication.k8s.io/v1', command: plugin}})).serverVersion());
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toContain('failed: error: you must be logged in to the server');
    });
  });

  describe('inside a pod', () => {
    it('uses the service account: its token, its CA and the KUBERNETES_SERVICE_* address', async () => {
      const serviceAccount = join(dir, 'serviceaccount');
      mkdirSync(serviceAccount);
      writeFileSync(join(serviceAccount, 'token'), 'pod-token\n');
      writeFileSync(join(serviceAccount, 'namespace'), 'ci-runner');
      copyFileSync(fixturePath('ca.crt'), join(serviceAccount, 'ca.crt'));
      const port = new URL(server.url).port;
      cluster = await connect({env: {KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port}, serviceAccountDir: serviceAccount});
      expect(await cluster.serverVersion()).toEqual(VERSION);
      expect(server.requests[0]!.headers.authorization).toBe('Bearer pod-token');
      expect({context: cluster.context, namespace: cluster.namespace, sources: cluster.sources}).toEqual({context: 'in-cluster', namespace: 'ci-runner', sources: ['in-cluster']});
    });
  });

  describe('unreachable clusters', () => {
    it('says the connection was refused, naming the address', async () => {
      const port = await closedPort();
      const connected = await connectWith({token: 'secret-token'}, `https://127.0.0.1:${port}`);
      const error = await rejection(connected.serverVersion());
      expect(error.code).toBe('UNREACHABLE');
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(`Cannot reach the cluster at https://127.0.0.1:${port} (connection refused).`);
      expect(JSON.stringify({message: error.message, hint: error.hint, details: error.details})).not.toContain('secret-token');
    });

    it('says the certificate is not trusted when the kubeconfig lacks the CA', async () => {
      const file = join(dir, 'config');
      const config = JSON.parse(kubeconfigFor(server.url, {token: 't'}));
      delete config.clusters[0].cluster['certificate-authority-data'];
      writeFileSync(file, JSON.stringify(config));
      cluster = await connect({kubeconfig: file, env: {}});
      const error = await rejection(cluster.serverVersion());
      expect(error.code).toBe('UNREACHABLE');
      expect(error.message).toBe(`Cannot reach the cluster at ${server.url} securely (its certificate is not signed by an authority gshift trusts).`);
    });

    it('trusts the kubeconfig\'s CA and no other, whatever CA an earlier connection of the process trusted', async () => {
      const trusted = await connectWith({token: 't'});
      await expect(trusted.serverVersion()).resolves.toMatchObject({gitVersion: 'v1.36.3'});
      await trusted.close();
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'other.key'), '-out', join(dir, 'other.crt'), '-days', '2', '-subj', '/CN=another-ca'], {stdio: 'pipe'});
      const file = join(dir, 'config');
      const config = JSON.parse(kubeconfigFor(server.url, {token: 't'}));
      config.clusters[0].cluster['certificate-authority-data'] = readFileSync(join(dir, 'other.crt')).toString('base64');
      writeFileSync(file, JSON.stringify(config));
      cluster = await connect({kubeconfig: file, env: {}});
      const other = await rejection(cluster.serverVersion());
      expect(other.message).toBe(`Cannot reach the cluster at ${server.url} securely (its certificate is not signed by an authority gshift trusts).`);
      await cluster.close();
      delete config.clusters[0].cluster['certificate-authority-data'];
      writeFileSync(file, JSON.stringify(config));
      cluster = await connect({kubeconfig: file, env: {}});
      const none = await rejection(cluster.serverVersion());
      expect(none.message).toBe(`Cannot reach the cluster at ${server.url} securely (its certificate is not signed by an authority gshift trusts).`);
    });

    it('says the certificate does not match when the host name differs', async () => {
      const file = join(dir, 'config');
      const config = JSON.parse(kubeconfigFor(server.url, {token: 't'}));
      config.clusters[0].cluster['tls-server-name'] = 'api.other.example';
      writeFileSync(file, JSON.stringify(config));
      cluster = await connect({kubeconfig: file, env: {}});
      const error = await rejection(cluster.serverVersion());
      expect(error.message).toContain('(its certificate is not valid for that host name)');
    });

    it('gives up on a server that does not answer within the request timeout', async () => {
      const accepted: Socket[] = [];
      const silent = createServer((socket) => void accepted.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as {port: number}).port;
      try {
        const file = join(dir, 'config');
        writeFileSync(file, kubeconfigFor(`https://127.0.0.1:${port}`, {token: 't'}));
        cluster = await connect({kubeconfig: file, env: {}, requestTimeout: 300});
        const error = await rejection(cluster.serverVersion());
        expect(error.code).toBe('UNREACHABLE');
        expect(error.message).toBe(`Cannot reach the cluster at https://127.0.0.1:${port} (no answer in time).`);
      } finally {
        // The TLS handshake never finished: end it, or the socket waits for undici's 10 s connect timeout.
        for (const socket of accepted) socket.destroy();
        silent.close();
      }
    });
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as {port: number}).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
