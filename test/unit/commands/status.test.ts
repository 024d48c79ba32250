// `gshift status` when the cluster does not answer as one: what gshift knows offline (context,
// server, user, tenant/env/namespace) comes first, then the one-line reason; a server that answers
// HTTPS but is not a Kubernetes API server (a web console) is named as such. The servers here are
// real ones on 127.0.0.1: a closed port, and an HTTPS site that serves pages.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {execa} from 'execa';

import {repoRoot} from '../../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gshift-status-'));
let console404: Server;
let consolePage: Server;

function kubeconfig(name: string, server: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]
users: [{name: alice, user: {token: not-a-secret}}]
contexts: [{name: team, context: {cluster: c, user: alice, namespace: shop-dev}}]
current-context: team
`);
  return file;
}

async function listen(answer: (path: string) => {status: number; type: string; body: string}): Promise<Server> {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {stdio: 'ignore'});
  const server = createServer({key: readFileSync(key), cert: readFileSync(cert)}, (request, response) => {
    const {status, type, body} = answer(request.url ?? '/');
    response.writeHead(status, {'content-type': type}).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const address = (server: Server) => `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
const status = (file: string, args: string[] = []) =>
  execa(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'status', ...args], {env: {KUBECONFIG: file, NO_COLOR: '1', HOME: dir}, reject: false, input: ''});

beforeAll(async () => {
  consolePage = await listen(() => ({status: 200, type: 'text/html', body: '<!doctype html><title>Console</title>'}));
  console404 = await listen(() => ({status: 404, type: 'text/html', body: '<h1>Not Found</h1>'}));
});

afterAll(() => {
  consolePage.close();
  console404.close();
});

describe('gshift status without a cluster that answers', () => {
  it('shows what it knows offline, then why the cluster cannot be reached (exit 3)', async () => {
    const run = await status(kubeconfig('closed', 'https://127.0.0.1:1'));
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toBe(['Context:   team', 'Server:    https://127.0.0.1:1', 'User:      alice', 'Tenant:    shop (namespace name)', 'Env:       dev (namespace name)', 'Namespace: shop-dev (kube context)'].join('\n'));
    expect(run.stderr).toMatch(/^Error: Cannot reach the cluster at https:\/\/127\.0\.0\.1:1 \(.*\)\.\nTry: /);
  });

  it('carries the offline part in the --json error', async () => {
    const run = await status(kubeconfig('closed', 'https://127.0.0.1:1'), ['--tenant', 'web', '--env', 'prod', '--json']);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout).error).toMatchObject({
      code: 'UNREACHABLE',
      details: {known: {context: 'team', server: 'https://127.0.0.1:1', user: 'alice', tenant: 'web', tenantSource: 'flag --tenant', env: 'prod', namespace: 'web-prod', namespaceSource: 'tenant and env'}},
    });
    expect(run.stdout).not.toContain('not-a-secret');
  });

  it.each([
    ['a web page', () => consolePage, /GET \/version answered with something other than JSON, such as a web page/],
    ['404', () => console404, /GET \/version answered 404/],
  ])('names a server that answers with %s as not a Kubernetes API server', async (_, server, evidence) => {
    const run = await status(kubeconfig('console', address(server())));
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^Error: The server at ${address(server()).replaceAll('.', '\\.')} answers, but it is not a Kubernetes API server \\(`));
    expect(run.stderr).toMatch(evidence);
    expect(run.stderr).toMatch(/\nTry: point context team at the cluster's API server/);
    expect(run.stderr).not.toMatch(/not found/i);
  });
});
