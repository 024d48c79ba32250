// Every built-in stack, rendered for a development and a production environment and for both
// platforms — an app stack by `gshift app create --dry-run`, a database stack by `gshift db create
// --dry-run` (the one command that makes databases) — is accepted by the test cluster's API server
// (server-side dry-run) in a namespace that enforces Pod Security "restricted", without a single
// warning, and rolls out there. The OpenShift flavour serves Routes, so both render paths are
// checked there.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {beforeAll, describe, expect, test} from '@jest/globals';

import {runCli} from '../support/cli.ts';
import {gshift, output} from './app-cli.ts';
import {databaseServers, kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

const APP_STACKS = ['eap', 'java', 'nodejs', 'python', 'nginx', 'httpd'];
/** The catalogue's database stacks, each the engine of the same name. */
const DATABASE_STACKS = ['postgresql', 'mariadb', 'mysql', 'redis'];
const STACKS = [...APP_STACKS, ...DATABASE_STACKS];
const isDatabase = (stack: string) => DATABASE_STACKS.includes(stack);
const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

let namespace: TestNamespace;

/** `gshift app create NAME --stack S …` for an app stack, `gshift db create NAME --engine S …` for a database stack. */
const create = (stack: string, name: string) => (isDatabase(stack) ? ['db', 'create', name, '--engine', stack] : ['app', 'create', name, '--stack', stack]);

function render(stack: string, env: string, platform: string, target: TestNamespace): string {
  const sized = isDatabase(stack) ? ['--size', '1Gi'] : ['--storage', '1Gi', '--env-var', 'GREETING=hello: world'];
  const result = runCli([...create(stack, `${stack}-app`), '--env', env, '--platform', platform, '--tenant', 'e2e', '--namespace', target.name, '--dry-run', ...sized, '--reveal', '-o', 'json'], {
    env: {KUBECONFIG: '/nonexistent/kubeconfig'},
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  // A gshift db pod is Ready once a real server serves it (test/cluster/databases/).
  await databaseServers();
}, 600_000);

describe('built-in stacks on the API server', () => {
  test('a namespace that enforces restricted Pod Security', async () => {
    namespace = await newNamespace('stacks', {labels: RESTRICTED});
  });

  describe.each(['dev', 'prod'])('%s', (env) => {
    test.each(STACKS.flatMap((stack) => ['openshift', 'kubernetes'].map((platform) => [stack, platform])))('%s for %s is accepted without warnings', async (stack, platform) => {
      const manifests = render(stack!, env, platform!, namespace);
      const kinds = JSON.parse(manifests).items.map((item: {kind: string}) => item.kind);
      if (isDatabase(stack!)) expect(kinds).toEqual(expect.arrayContaining(['StatefulSet', 'Secret', 'NetworkPolicy']));
      else expect(kinds).toEqual(expect.arrayContaining(['Deployment', platform === 'openshift' ? 'Route' : 'Ingress', ...(env === 'prod' ? ['PodDisruptionBudget'] : [])]));
      const applied = await kubectlResult(['apply', '--server-side', '--field-manager=gshift', '--dry-run=server', '-f', '-', '-o', 'name'], {namespace: namespace.name, input: manifests});
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      expect(applied.stdout.trim().split('\n')).toHaveLength(kinds.length);
    });
  });

  // Not a dry run: the pods themselves (read-only root, scratch emptyDirs, ephemeral storage, on
  // Kubernetes UID/GID 10001 in group 0) must be admitted by Pod Security and become available.
  describe.each(['openshift', 'kubernetes'])('rolled out in prod, rendered for %s', (platform) => {
    test.each(STACKS)('%s: its pods are admitted under restricted and become available', async (stack) => {
      const name = `${stack}-${platform.slice(0, 3)}`;
      const run = gshift(namespace, [...create(stack, name), '--env', 'prod', '--platform', platform, '--tenant', 'e2e', '-n', namespace.name, '--timeout', '90s', '--json']);
      expect(run.status === 0 ? 0 : output(run)).toBe(0);
      const pods = (await kubectlJson(['get', 'pods', '-l', `app.kubernetes.io/instance=${name}`], {namespace: namespace.name})).items;
      expect(pods.length).toBeGreaterThan(0);
      for (const pod of pods) {
        expect(pod.status.phase).toBe('Running');
        if (platform === 'kubernetes') expect(pod.spec.securityContext).toMatchObject({runAsUser: 10001, runAsGroup: 10001, supplementalGroups: [0]});
        const [container] = pod.spec.containers;
        expect(container.resources.limits['ephemeral-storage']).toBeDefined();
        expect(container.securityContext.readOnlyRootFilesystem ?? false).toBe(!['httpd', 'redis'].includes(stack!));
      }
    }, 120_000);
  });

  test('a Deployment that breaks restricted is refused there, so the check above can fail', async () => {
    const manifests = JSON.parse(render('nodejs', 'dev', 'kubernetes', namespace));
    const pod = manifests.items.find((item: {kind: string}) => item.kind === 'Deployment').spec.template.spec;
    pod.containers[0].securityContext.allowPrivilegeEscalation = true;
    const applied = await kubectlResult(['apply', '--server-side', '--dry-run=server', '-f', '-'], {namespace: namespace.name, input: JSON.stringify(manifests)});
    expect(applied.stderr).toMatch(/violate PodSecurity "restricted/);
  });

  test('gshift template validate dry-runs a stack template against the server', () => {
    const result = runCli(['template', 'validate', 'postgresql', '--namespace', namespace.name], {env: {KUBECONFIG: namespace.kubeconfig}});
    expect(result.stderr).toContain(`The API server accepts all 4 objects in namespace ${namespace.name} (server-side dry-run).`);
    expect(result.status).toBe(0);
  });

  test('gshift template validate resolves --tenant/--env to the namespace, as every command does', async () => {
    const tenant = `validate-${randomBytes(3).toString('hex')}`;
    await kubectlResult(['create', 'namespace', `${tenant}-test`]);
    try {
      const result = runCli(['template', 'validate', 'redis', '--tenant', tenant, '--env', 'test', '--json'], {env: {KUBECONFIG: namespace.kubeconfig}});
      expect(result.status).toBe(0);
      expect(JSON.parse(result.stdout).result.server).toEqual({checked: true, namespace: `${tenant}-test`, warnings: []});
    } finally {
      await kubectlResult(['delete', 'namespace', `${tenant}-test`, '--wait=false']);
    }
  });

  test('template process prints a List that kubectl apply -f - accepts', async () => {
    const processed = runCli(['template', 'process', 'redis', '-p', 'NAME=cache'], {env: {KUBECONFIG: '/nonexistent/kubeconfig'}});
    expect(processed.status).toBe(0);
    const applied = await kubectlResult(['apply', '--server-side', '--dry-run=server', '-f', '-', '-o', 'name'], {namespace: namespace.name, input: processed.stdout});
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim().split('\n').sort()).toEqual(['deployment.apps/cache', 'persistentvolumeclaim/cache-data', 'secret/cache', 'service/cache']);
  });

  test('template validate fails when the server rejects an object, naming it, and lists admission warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gshift-validate-'));
    const template = (port: string, privileged: boolean) => `apiVersion: template.openshift.io/v1
kind: Template
metadata: {name: checked}
parameters: [{name: PORT, value: "${port}"}]
objects:
- {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: "\${{PORT}}"}]}}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, image: registry.example/web:1, securityContext: {privileged: ${privileged}}}]}
`;
    const env = {KUBECONFIG: namespace.kubeconfig};
    writeFileSync(join(dir, 'bad-port.yaml'), template('99999', false));
    const rejected = runCli(['template', 'validate', join(dir, 'bad-port.yaml'), '--namespace', namespace.name, '--json'], {env});
    expect(rejected.status).toBe(10);
    const error = JSON.parse(rejected.stdout).error;
    expect(error).toMatchObject({code: 'REJECTED', message: expect.stringContaining('Service "web"')});
    expect(JSON.stringify(error.details)).toContain('spec.ports[0].port');
    // Offline the same template is fine: only the server knows the port range.
    expect(runCli(['template', 'validate', join(dir, 'bad-port.yaml'), '--offline'], {env}).status).toBe(0);

    writeFileSync(join(dir, 'privileged.yaml'), template('80', true));
    const warned = runCli(['template', 'validate', join(dir, 'privileged.yaml'), '--namespace', namespace.name, '--json'], {env});
    expect(warned.status).toBe(0);
    expect(JSON.parse(warned.stdout).warnings).toContainEqual(expect.stringMatching(/^Deployment web: .*violate PodSecurity "restricted/));
  });
});
