// Every common flag has a GSHIFT_<FLAG> twin, so a CI job can set it once for all its steps.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {runCli} from '../../support/cli.ts';

const dryRun = ['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run'];

describe('environment-variable twins of the common flags', () => {
  it('GSHIFT_OUTPUT chooses the manifest format', () => {
    const run = runCli(dryRun, {env: {GSHIFT_OUTPUT: 'json'}});
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({kind: 'List'});
  });

  it('GSHIFT_NAMESPACE places the objects', () => {
    const run = runCli([...dryRun, '-o', 'json'], {env: {GSHIFT_NAMESPACE: 'shop-test'}});
    expect(JSON.parse(run.stdout).items.every((item: any) => item.metadata.namespace === 'shop-test')).toBe(true);
  });

  it('GSHIFT_TENANT and GSHIFT_ENV give the namespace <tenant>-<env> and the environment standards', () => {
    const run = runCli([...dryRun, '-o', 'json'], {env: {GSHIFT_TENANT: 'shop', GSHIFT_ENV: 'prod'}});
    const items = JSON.parse(run.stdout).items;
    expect(items.every((item: any) => item.metadata.namespace === 'shop-prod')).toBe(true);
    expect(items.map((item: any) => item.kind)).toContain('PodDisruptionBudget');
  });

  it('a flag on the command line wins over its twin', () => {
    const run = runCli([...dryRun, '-o', 'yaml'], {env: {GSHIFT_OUTPUT: 'json'}});
    expect(run.stdout).toMatch(/^apiVersion: v1\nkind: List/);
  });

  it('GSHIFT_KUBECONFIG and GSHIFT_CONTEXT reach cluster commands (a missing file is named)', () => {
    const run = runCli(['status', '--json'], {env: {GSHIFT_KUBECONFIG: '/nonexistent/kubeconfig', GSHIFT_CONTEXT: 'ci'}});
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toContain('/nonexistent/kubeconfig');
  });

  it('GSHIFT_CONTEXT picks the context, as --context would (an unknown one is named)', () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'gshift-twins-')), 'config');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'dev',
        clusters: [{name: 'c', cluster: {server: 'https://127.0.0.1:1'}}],
        users: [{name: 'u', user: {token: 't'}}],
        contexts: [{name: 'dev', context: {cluster: 'c', user: 'u'}}],
      }),
    );
    const run = runCli(['status', '--json'], {env: {GSHIFT_KUBECONFIG: kubeconfig, GSHIFT_CONTEXT: 'ci'}});
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toBe(`The context "ci" given with --context is not in ${kubeconfig} (available: dev).`);
  });
});
