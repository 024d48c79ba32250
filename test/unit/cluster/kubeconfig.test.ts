import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, join} from 'node:path';

import {afterEach, beforeEach, describe, expect, it} from '@jest/globals';
import {stringify} from 'yaml';

import {GshiftError} from '../../../src/errors.js';
import {resolveKubeconfig} from '../../../src/cluster/kubeconfig.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gshift-kubeconfig-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), {recursive: true});
  writeFileSync(file, typeof content === 'string' ? content : stringify(content));
  return file;
}

const cluster = (name: string, server: string, extra: Record<string, unknown> = {}) => ({name, cluster: {server, ...extra}});
const user = (name: string, fields: Record<string, unknown>) => ({name, user: fields});
const context = (name: string, clusterName: string, userName: string, namespace?: string) => ({
  name,
  context: {cluster: clusterName, user: userName, ...(namespace ? {namespace} : {})},
});

function config(parts: {current?: string; clusters?: unknown[]; users?: unknown[]; contexts?: unknown[]}) {
  return {apiVersion: 'v1', kind: 'Config', 'current-context': parts.current, clusters: parts.clusters ?? [], users: parts.users ?? [], contexts: parts.contexts ?? []};
}

function failure(run: () => unknown): GshiftError {
  try {
    run();
  } catch (error) {
    if (error instanceof GshiftError) return error;
    throw error;
  }
  throw new Error('expected a GshiftError');
}

const noServiceAccount = () => join(dir, 'no-service-account');

describe('kubeconfig resolution', () => {
  it('merges the files in KUBECONFIG as kubectl does: the first file to name a cluster, user, context or current-context wins', () => {
    const first = write('first.yaml', config({
      current: 'dev',
      clusters: [cluster('shared', 'https://first.example:6443')],
      users: [user('alice', {token: 'first-token'})],
      contexts: [context('dev', 'shared', 'alice', 'team-dev')],
    }));
    const second = write('second.yaml', config({
      current: 'prod',
      clusters: [cluster('shared', 'https://second.example:6443'), cluster('prod', 'https://prod.example:6443')],
      users: [user('alice', {token: 'second-token'}), user('bob', {token: 'bob-token'})],
      contexts: [context('dev', 'prod', 'bob'), context('prod', 'prod', 'bob', 'team-prod')],
    }));
    const resolved = resolveKubeconfig({env: {KUBECONFIG: [first, join(dir, 'missing.yaml'), second].join(delimiter)}, serviceAccountDir: noServiceAccount()});
    expect(resolved.contextName).toBe('dev');
    expect(resolved.cluster.server).toBe('https://first.example:6443');
    expect(resolved.user.token).toBe('first-token');
    expect(resolved.namespace).toBe('team-dev');
    expect(resolved.sources).toEqual([first, second]);

    const prod = resolveKubeconfig({env: {KUBECONFIG: [first, second].join(delimiter)}, context: 'prod', serviceAccountDir: noServiceAccount()});
    expect(prod.cluster.server).toBe('https://prod.example:6443');
    expect(prod.user.token).toBe('bob-token');
  });

  it('takes current-context from a later file when the first sets none', () => {
    const first = write('a.yaml', config({clusters: [cluster('c', 'https://c.example')], users: [user('u', {token: 't'})], contexts: [context('one', 'c', 'u')]}));
    const second = write('b.yaml', config({current: 'one'}));
    expect(resolveKubeconfig({env: {KUBECONFIG: `${first}${delimiter}${second}`}}).contextName).toBe('one');
  });

  it('lets --kubeconfig win over KUBECONFIG, and fails when that file is missing', () => {
    const fromEnv = write('env.yaml', config({current: 'env', clusters: [cluster('c', 'https://env.example')], contexts: [context('env', 'c', '')]}));
    const explicit = write('explicit.yaml', config({current: 'flag', clusters: [cluster('c', 'https://flag.example')], contexts: [context('flag', 'c', '')]}));
    expect(resolveKubeconfig({kubeconfig: explicit, env: {KUBECONFIG: fromEnv}}).cluster.server).toBe('https://flag.example');

    const missing = failure(() => resolveKubeconfig({kubeconfig: join(dir, 'nope.yaml'), env: {KUBECONFIG: fromEnv}}));
    expect(missing.code).toBe('USAGE');
    expect(missing.message).toContain('nope.yaml does not exist');
  });

  it('falls back to ~/.kube/config', () => {
    write('home/.kube/config', config({current: 'home', clusters: [cluster('c', 'https://home.example/')], contexts: [context('home', 'c', '')]}));
    const resolved = resolveKubeconfig({env: {HOME: join(dir, 'home')}, serviceAccountDir: noServiceAccount()});
    expect(resolved.cluster.server).toBe('https://home.example');
    expect(resolved.namespace).toBe('default');
    expect(resolved.user.name).toBe('anonymous');
  });

  it('says no cluster is configured, with the next step, when there is no kubeconfig and no service account', () => {
    const error = failure(() => resolveKubeconfig({env: {HOME: join(dir, 'empty-home')}, serviceAccountDir: noServiceAccount()}));
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/^No cluster is configured/);
    expect(error.hint).toBe('set KUBECONFIG, pass --kubeconfig, or log in with oc login / kubectl.');
  });

  it('uses the pod service account when running in a cluster', () => {
    const serviceAccount = join(dir, 'sa');
    write('sa/token', 'pod-token\n');
    write('sa/namespace', 'ci-runner');
    write('sa/ca.crt', 'not-read-until-a-request');
    const resolved = resolveKubeconfig({env: {KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443'}, serviceAccountDir: serviceAccount});
    expect(resolved.contextName).toBe('in-cluster');
    expect(resolved.cluster.server).toBe('https://[fd00::1]:443');
    expect(resolved.cluster.caFile).toBe(join(serviceAccount, 'ca.crt'));
    expect(resolved.user.token).toBe('pod-token');
    expect(resolved.contextNamespace).toBe('ci-runner');
    expect(resolved.sources).toEqual(['in-cluster']);
    expect(resolveKubeconfig({env: {KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443'}, serviceAccountDir: serviceAccount, namespace: 'other'}).namespace).toBe('other');
  });

  it('lists the available contexts when the named one does not exist', () => {
    const file = write('config', config({current: 'dev', clusters: [cluster('c', 'https://c.example')], contexts: [context('dev', 'c', ''), context('prod', 'c', '')]}));
    const error = failure(() => resolveKubeconfig({kubeconfig: file, context: 'staging'}));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe(`The context "staging" given with --context is not in ${file} (available: dev, prod).`);
    expect(error.details).toEqual({context: 'staging', contexts: ['dev', 'prod']});
  });

  it('asks for --context when no current context is set', () => {
    const file = write('config', config({clusters: [cluster('c', 'https://c.example')], contexts: [context('dev', 'c', '')]}));
    const error = failure(() => resolveKubeconfig({kubeconfig: file}));
    expect(error.message).toContain('sets no current context');
    expect(error.hint).toContain('--context (available: dev)');
  });

  it('names a context whose cluster or user is missing', () => {
    const file = write('config', config({current: 'dev', contexts: [context('dev', 'gone', '')]}));
    expect(failure(() => resolveKubeconfig({kubeconfig: file})).message).toContain('names the cluster "gone", which is not in');
    const noUser = write('config2', config({current: 'dev', clusters: [cluster('c', 'https://c.example')], contexts: [context('dev', 'c', 'ghost')]}));
    expect(failure(() => resolveKubeconfig({kubeconfig: noUser})).message).toContain('names the user "ghost"');
  });

  it('lets --namespace override the context namespace', () => {
    const file = write('config', config({current: 'dev', clusters: [cluster('c', 'https://c.example')], contexts: [context('dev', 'c', '', 'team-dev')]}));
    const resolved = resolveKubeconfig({kubeconfig: file, namespace: 'elsewhere'});
    expect(resolved.namespace).toBe('elsewhere');
    expect(resolved.contextNamespace).toBe('team-dev');
  });

  it('reads tokens, token files (trimmed), client certificates and data, relative to the file that names them', () => {
    write('creds/token', '  file-token\n');
    write('creds/ca.crt', 'CA');
    const file = write('nested/config', config({
      current: 'files',
      clusters: [cluster('c', 'https://c.example', {'certificate-authority': '../creds/ca.crt', 'insecure-skip-tls-verify': false, 'tls-server-name': 'api.internal'})],
      users: [
        user('by-file', {'token-file': '../creds/token', 'client-certificate': 'certs/me.crt', 'client-key': '/abs/me.key'}),
        user('by-data', {'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ', as: 'admin'}),
      ],
      contexts: [context('files', 'c', 'by-file'), context('data', 'c', 'by-data')],
    }));
    const byFile = resolveKubeconfig({kubeconfig: file});
    expect(byFile.user.token).toBe('file-token');
    expect(byFile.user.certFile).toBe(join(dir, 'nested/certs/me.crt'));
    expect(byFile.user.keyFile).toBe('/abs/me.key');
    expect(byFile.cluster.caFile).toBe(join(dir, 'creds/ca.crt'));
    expect(byFile.cluster.tlsServerName).toBe('api.internal');

    const byData = resolveKubeconfig({kubeconfig: file, context: 'data'});
    expect(byData.user.certData).toBe('Q0VSVA==');
    expect(byData.user.keyData).toBe('S0VZ');
    expect(byData.user.impersonateUser).toBe('admin');
  });

  it('fails with the file name when a token file cannot be read', () => {
    const file = write('config', config({current: 'x', clusters: [cluster('c', 'https://c.example')], users: [user('u', {'token-file': 'absent'})], contexts: [context('x', 'c', 'u')]}));
    const error = failure(() => resolveKubeconfig({kubeconfig: file}));
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain(join(dir, 'absent'));
  });

  it('gives exec plugins a command relative to the kubeconfig and KUBERNETES_EXEC_INFO, as client-go does', () => {
    const file = write('config', config({
      current: 'x',
      clusters: [cluster('c', 'https://c.example', {'certificate-authority-data': 'Q0E='})],
      users: [
        user('u', {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: './bin/login', args: ['token'], env: [{name: 'A', value: 'b'}], provideClusterInfo: true}}),
        user('path', {exec: {apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin'}}),
      ],
      contexts: [context('x', 'c', 'u'), context('y', 'c', 'path')],
    }));
    const exec = resolveKubeconfig({kubeconfig: file}).user.exec as {command: string; args: string[]; env: {name: string; value: string}[]};
    expect(exec.command).toBe(join(dir, 'bin/login'));
    expect(exec.args).toEqual(['token']);
    expect(exec.env[0]).toEqual({name: 'A', value: 'b'});
    const info = JSON.parse(exec.env.find((entry) => entry.name === 'KUBERNETES_EXEC_INFO')!.value);
    expect(info).toMatchObject({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', spec: {interactive: false, cluster: {server: 'https://c.example', 'certificate-authority-data': 'Q0E='}}});

    expect((resolveKubeconfig({kubeconfig: file, context: 'y'}).user.exec as {command: string}).command).toBe('kubelogin');
  });

  it('names the file when it is not YAML', () => {
    const file = write('broken', 'clusters: [unclosed');
    const error = failure(() => resolveKubeconfig({kubeconfig: file}));
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain(`The kubeconfig file ${file} is not valid YAML`);
  });
});
