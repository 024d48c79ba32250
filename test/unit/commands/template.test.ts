import {describe, expect, test} from '@jest/globals';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {parse} from 'yaml';

import {repoRoot, runCli} from '../../support/cli.ts';
import {sharedTemplatesDir} from '../render/testdata.ts';

// Runs the built CLI (npm test builds first): what a user at a terminal or in a pipeline sees.
const shared = relative(repoRoot, sharedTemplatesDir).replace(/\/$/, '');
const noCluster = {KUBECONFIG: join(tmpdir(), 'gshift-no-such-kubeconfig'), HOME: mkdtempSync(join(tmpdir(), 'gshift-home-'))};

describe('gshift template', () => {
  test('list shows the built-in stacks', () => {
    const {stdout, status} = runCli(['template', 'list']);
    expect(status).toBe(0);
    for (const stack of ['eap', 'java', 'nodejs', 'python', 'nginx', 'httpd', 'postgresql', 'mariadb', 'mysql', 'redis']) expect(stdout).toMatch(new RegExp(`^${stack}\\s+(app|db)\\s+built-in`, 'm'));
  });

  test('process prints a List on stdout and the message on stderr', () => {
    const {stdout, stderr, status} = runCli(['template', 'process', `${shared}/postgresql-persistent.json`, '-p', 'DATABASE_SERVICE_NAME=orders']);
    expect(status).toBe(0);
    const list = parse(stdout);
    expect(list).toMatchObject({apiVersion: 'v1', kind: 'List'});
    expect(list.items.map((item: {kind: string}) => item.kind)).toEqual(['Secret', 'Service', 'PersistentVolumeClaim', 'Deployment']);
    expect(stderr).toContain('The following service(s) have been created in your project: orders.');
    expect(stdout).not.toContain('have been created');
  });

  test('process -o json and --json', () => {
    const json = runCli(['template', 'process', 'redis', '-o', 'json']);
    expect(JSON.parse(json.stdout).items).toHaveLength(4);
    const envelope = JSON.parse(runCli(['template', 'process', 'redis', '--json']).stdout);
    expect(envelope).toMatchObject({ok: true, result: {list: {kind: 'List'}, message: expect.stringContaining('Redis redis is at redis:6379')}});
  });

  test('process: a parameter value with YAML syntax stays a plain string', () => {
    const value = 'foo: [bar]\n- {"a": 1}';
    const {stdout} = runCli(['template', 'process', 'postgresql', '-p', `DATABASE_NAME=${value}`, '--reveal']);
    expect(parse(stdout).items[0].stringData['database-name']).toBe(value);
  });

  test('process: a missing required parameter, an unknown one, and a repeated one are usage errors', () => {
    const missing = runCli(['template', 'process', `${shared}/mysql-persistent.json`, '-p', 'MYSQL_DATABASE=']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('needs a value for the required parameter MYSQL_DATABASE.');
    const unknown = runCli(['template', 'process', 'redis', '-p', 'NOPE=1']);
    expect(unknown.stderr).toContain('Template redis has no parameter NOPE.');
    expect(runCli(['template', 'process', 'redis', '-p', 'NOPE=1', '--ignore-unknown-parameters']).status).toBe(0);
    expect(runCli(['template', 'process', 'redis', '-p', 'NAME=a', '-p', 'NAME=b']).stderr).toContain('The parameter NAME was given more than once.');
  });

  test('process --param-file: -p wins, with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gshift-params-'));
    writeFileSync(join(dir, 'p.env'), 'NAME=from-file\nVOLUME_CAPACITY=3Gi\n');
    const {stdout, stderr} = runCli(['template', 'process', 'redis', '--param-file', join(dir, 'p.env'), '-p', 'NAME=from-flag']);
    const items = parse(stdout).items;
    expect(items[0].metadata.name).toBe('from-flag');
    expect(items[1].spec.resources.requests.storage).toBe('3Gi');
    expect(stderr).toContain('Parameter NAME is already set');
  });

  test('show lists parameters, objects and the standards', () => {
    const {stdout} = runCli(['template', 'show', 'postgresql']);
    expect(stdout).toMatch(/DATABASE_PASSWORD\s+generated: \[a-zA-Z0-9\]\{24\}/);
    expect(stdout).toMatch(/highAvailability\s+exempt/);
  });

  test('validate checks offline and skips the server when no cluster is configured', () => {
    const {stderr, status} = runCli(['template', 'validate', 'nodejs'], {env: noCluster});
    expect(status).toBe(0);
    expect(stderr).toContain('structure, parameters and 2 objects are valid');
    expect(stderr).toMatch(/^Warning: the server-side check was skipped \(no cluster is configured: .*\): admission, quotas and schemas were not checked\.$/m);
    const {stdout} = runCli(['template', 'validate', 'nodejs', '--json'], {env: noCluster});
    expect(JSON.parse(stdout)).toMatchObject({result: {server: {checked: false, reason: expect.stringMatching(/^No cluster is configured/)}}, warnings: [expect.stringMatching(/^the server-side check was skipped/)]});
  });

  test('validate reports a malformed template with its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gshift-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: template.openshift.io/v1\nkind: Template\nparameters:\n- name: bad-name\n');
    const {stderr, status} = runCli(['template', 'validate', join(dir, 'bad.yaml'), '--offline']);
    expect(status).toBe(2);
    expect(stderr).toContain(`${join(dir, 'bad.yaml')}:4: parameters[0].name must be letters, digits and underscores, not "bad-name".`);
  });
});

/** A repository whose gshift.config.yaml holds `config`; returns the directory to run in. */
function projectWithConfig(config: string, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'gshift-project-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'gshift.config.yaml'), config);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), {recursive: true});
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('a team\'s template directories from the config', () => {
  const team = 'apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: worker}\nparameters: [{name: NAME, value: worker}]\nobjects:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: "${NAME}"}}\n';
  const cwd = projectWithConfig('templateDirs: [stacks]\n', {'stacks/worker.yaml': team, 'stacks/nodejs.yaml': team.replaceAll('worker', 'team-nodejs')});

  test('are searched before the built-in catalogue: list, show and process see the team\'s stacks first', () => {
    const list = JSON.parse(runCli(['template', 'list', '--json'], {cwd}).stdout).result;
    expect(list.slice(0, 2).map((stack: {name: string; source: string}) => [stack.name, stack.source])).toEqual([['nodejs', 'user'], ['worker', 'user']]);
    expect(list.find((stack: {name: string}) => stack.name === 'postgresql').source).toBe('built-in');
    expect(JSON.parse(runCli(['template', 'show', 'nodejs', '--json'], {cwd}).stdout).result.source).toBe(join(cwd, 'stacks', 'nodejs.yaml'));
    expect(parse(runCli(['template', 'process', 'nodejs'], {cwd}).stdout).items[0].metadata.name).toBe('team-nodejs');
  });
});

describe('gshift app create --dry-run', () => {
  test('prints the manifests with no cluster or kubeconfig, OpenShift by default', () => {
    const {stdout, status} = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run'], {env: noCluster});
    expect(status).toBe(0);
    expect(parse(stdout).items.map((item: {kind: string}) => item.kind)).toEqual(['Service', 'Deployment', 'Route']);
  });

  test('--platform kubernetes gives an Ingress; -o json prints JSON', () => {
    const {stdout} = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run', '--platform', 'kubernetes', '-o', 'json', '--env', 'prod'], {env: noCluster});
    expect(JSON.parse(stdout).items.map((item: {kind: string}) => item.kind)).toEqual(['Service', 'Deployment', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  });

  test('the platform and the registry prefix come from the config when no flag names them', () => {
    const cwd = projectWithConfig('platform: kubernetes\nregistry: registry.example.gov/certified\n');
    const {stdout, status} = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run', '-o', 'json'], {cwd, env: noCluster});
    expect(status).toBe(0);
    const items = JSON.parse(stdout).items;
    expect(items.map((item: {kind: string}) => item.kind)).toEqual(['Service', 'Deployment', 'Ingress']);
    expect(items[1].spec.template.spec.containers[0].image).toBe('registry.example.gov/certified/ubi9/nodejs-22:9.7');
    // The flag wins over the config.
    expect(JSON.parse(runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run', '-o', 'json', '--platform', 'openshift'], {cwd, env: noCluster}).stdout).items[2].kind).toBe('Route');
  });

  test('platform auto in the config renders for OpenShift without asking any cluster', () => {
    const cwd = projectWithConfig('platform: auto\n');
    const {stdout} = runCli(['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run', '-o', 'json'], {cwd, env: noCluster});
    expect(JSON.parse(stdout).items[2].kind).toBe('Route');
  });

  test('bad input is refused before rendering, naming the problem', () => {
    expect(runCli(['app', 'create', 'Demo', '--stack', 'nodejs', '--dry-run']).stderr).toContain('it has the upper-case letter "D"');
    expect(runCli(['app', 'create', 'demo', '--stack', 'rubby', '--dry-run']).stderr).toMatch(/There is no stack named "rubby"[\s\S]*nodejs/);
  });
});
