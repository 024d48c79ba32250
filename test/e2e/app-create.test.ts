// `gshift app create` on the real test cluster: an ApplySet kubectl would recognise, the rollout
// followed to the end, a re-run that writes nothing, an update that prunes, a server-side dry
// run that persists nothing, and --json without a terminal whose stdout parses.
import {createHash} from 'node:crypto';

import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, objectsIn, output, versionsIn} from './app-cli.ts';
import {TEAM_PROJECT} from '../support/team-project.ts';
import {kubectlJson, kubectlResult, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 90_000;
let ns: TestNamespace;

beforeAll(async () => {
  ns = await newNamespace('app-create');
}, TIMEOUT);

describe('app create', () => {
  test(
    'creates the app, follows the rollout to the end, and prints a --json result that parses without a terminal',
    async () => {
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.0', '-n', ns.name, '--json']);
      expect(run.status).toBe(0);
      const json = envelope(run);
      expect(json.ok).toBe(true);
      expect(json.result).toMatchObject({app: 'web', namespace: ns.name, stack: 'nodejs', created: true, changed: true});
      expect(json.result.outcomes.map((outcome: any) => `${outcome.ref.kind}/${outcome.action}`)).toEqual(['Service/created', 'Deployment/created', 'Route/created']);
      expect(json.result.rollout[0].progress).toMatchObject({desired: 1, available: 1});
      expect(run.stderr).toMatch(/Rolled out web/);

      const deployment = await kubectlJson(['get', 'deployment', 'web', '--show-managed-fields'], {namespace: ns.name});
      expect(deployment.status.availableReplicas).toBe(1);
      expect(deployment.spec.template.spec.containers[0].image).toBe('quay.io/acme/web:1.0');
      expect(deployment.metadata.managedFields.map((entry: any) => `${entry.manager}/${entry.operation}`)).toContain('gshift/Apply');
    },
    TIMEOUT,
  );

  test('records what it applied as a Kubernetes ApplySet: a parent with the id kubectl computes, members labelled part-of it', async () => {
    const parent = await kubectlJson(['get', 'configmap', 'gshift-app-web'], {namespace: ns.name});
    const hash = createHash('sha256').update(`gshift-app-web.${ns.name}.ConfigMap.`).digest('base64url');
    const id = `applyset-${hash}-v1`;
    expect(parent.metadata.labels['applyset.kubernetes.io/id']).toBe(id);
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('Deployment.apps,Route.route.openshift.io,Service');
    expect(parent.metadata.annotations['applyset.kubernetes.io/tooling']).toMatch(/^gshift\/v\d/);
    const members = await kubectlJson(['get', 'deployments,services,routes', '-l', `applyset.kubernetes.io/part-of=${id}`], {namespace: ns.name});
    expect(members.items.map((item: any) => `${item.kind}/${item.metadata.name}`).sort()).toEqual(['Deployment/web', 'Route/web', 'Service/web']);
  });

  test(
    'changes nothing when run again with the same inputs, and says so',
    async () => {
      const before = await versionsIn(ns);
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.0', '-n', ns.name]);
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe('No changes: app web is up to date.');
      expect(await versionsIn(ns)).toEqual(before);
    },
    TIMEOUT,
  );

  test(
    'keeps the image a deploy gave the app when a re-run leaves --image out',
    async () => {
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '-n', ns.name]);
      expect(run.stdout.trim()).toBe('No changes: app web is up to date.');
    },
    TIMEOUT,
  );

  test(
    'updates in place with changed inputs, and prunes what the new render no longer has',
    async () => {
      const added = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--env-var', 'LOG_LEVEL=debug', '-n', ns.name]);
      expect(added.status).toBe(0);
      expect(added.stdout).toMatch(/configmap\/web-env created/);
      expect(added.stdout).toMatch(/deployment\.apps\/web configured/);
      // Dependency order: the ConfigMap the pods read exists before the Deployment changes.
      expect(added.stdout.indexOf('configmap/web-env')).toBeLessThan(added.stdout.indexOf('deployment.apps/web'));
      expect(added.stdout).toMatch(/Updated app web/);
      expect(await objectsIn(ns)).toContain('ConfigMap/web-env');

      const removed = gshift(ns, ['app', 'env', 'unset', 'web', 'LOG_LEVEL', '-n', ns.name]);
      expect(removed.status).toBe(0);
      expect(removed.stdout).toMatch(/configmap\/web-env pruned/);
      expect(await objectsIn(ns)).not.toContain('ConfigMap/web-env');
      const parent = await kubectlJson(['get', 'configmap', 'gshift-app-web'], {namespace: ns.name});
      expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('Deployment.apps,Route.route.openshift.io,Service');
    },
    TIMEOUT,
  );

  test(
    'has the server validate and admit a change with --dry-run=server, persisting nothing',
    async () => {
      const before = await versionsIn(ns);
      const run = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:9.9', '--dry-run=server', '-n', ns.name]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/deployment\.apps\/web configured \(server dry run\)/);
      expect(await versionsIn(ns)).toEqual(before);
    },
    TIMEOUT,
  );

  test('renders without any cluster with a bare --dry-run', () => {
    const run = gshift({kubeconfig: '/nonexistent'}, ['app', 'create', 'web', '--stack', 'nodejs', '--dry-run', '-o', 'json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).items.map((item: any) => item.kind)).toContain('Deployment');
  });

  test(
    'renders --port, --replicas and --param into the objects, and waits for every replica',
    async () => {
      const run = gshift(ns, ['app', 'create', 'sized', '--stack', 'nodejs', '--port', '9090', '--replicas', '2', '--param', 'MEMORY_LIMIT=768Mi', '-n', ns.name, '--json']);
      expect(run.status).toBe(0);
      expect(envelope(run).result.rollout[0].progress).toMatchObject({desired: 2, available: 2});
      const deployment = await kubectlJson(['get', 'deployment', 'sized'], {namespace: ns.name});
      const container = deployment.spec.template.spec.containers[0];
      expect(deployment.spec.replicas).toBe(2);
      expect(container.ports).toEqual([expect.objectContaining({containerPort: 9090})]);
      expect(container.resources.limits.memory).toBe('768Mi');
      const service = await kubectlJson(['get', 'service', 'sized'], {namespace: ns.name});
      expect(service.spec.ports).toEqual([expect.objectContaining({port: 9090})]);
    },
    TIMEOUT,
  );

  test(
    'returns once applied with --no-wait',
    async () => {
      const run = gshift(ns, ['app', 'create', 'api', '--stack', 'python', '--no-wait', '-n', ns.name]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Created app api/);
      expect(run.stderr).not.toMatch(/Rolled out/);
      expect(output(run)).not.toMatch(/Error/);
    },
    TIMEOUT,
  );

  test(
    'starts a high-availability environment at the autoscaler minimum, with a disruption budget, and re-runs without a change',
    async () => {
      const run = gshift(ns, ['app', 'create', 'shop', '--stack', 'nodejs', '--env', 'prod', '-n', ns.name, '--json']);
      expect(run.status).toBe(0);
      expect(envelope(run).result.rollout[0].progress).toMatchObject({desired: 2, available: 2});
      const objects = await objectsIn(ns);
      expect(objects).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler/shop', 'PodDisruptionBudget/shop']));
      const status = envelope(gshift(ns, ['app', 'status', 'shop', '-n', ns.name, '--json']));
      expect(status.result.autoscaler).toMatchObject({min: 2, max: 4});
      const before = await versionsIn(ns);
      const again = gshift(ns, ['app', 'create', 'shop', '--stack', 'nodejs', '--env', 'prod', '-n', ns.name]);
      expect(again.stdout.trim()).toBe('No changes: app shop is up to date.');
      expect(await versionsIn(ns)).toEqual(before);
    },
    TIMEOUT,
  );
});

// A team's own stack whose template generates a password into a Secret (test/fixtures/team-project):
// the catalogue's app stacks generate none, and its database stacks are gshift db's (db.test.ts).
describe('app create with a team stack that generates credentials', () => {
  const team = (args: string[]) => gshift(ns, args, {cwd: TEAM_PROJECT});
  const teamOffline = (args: string[]) => gshift({kubeconfig: '/nonexistent'}, args, {cwd: TEAM_PROJECT});

  test(
    'keeps the password generated the first time through re-runs and deploys, and never prints it',
    async () => {
      const secret = () => kubectlJson(['get', 'secret', 'wiki'], {namespace: ns.name});
      const first = team(['app', 'create', 'wiki', '--stack', 'wiki', '--no-wait', '-n', ns.name, '--json']);
      expect(first.status === 0 ? 0 : output(first)).toBe(0);
      const written = await secret();
      const encoded = written.data['admin-password'];
      const password = Buffer.from(encoded, 'base64').toString();
      expect(password).toMatch(/^[a-zA-Z0-9]{24}$/);
      expect(output(first)).not.toContain(password);
      expect(output(first)).not.toContain(encoded);

      const again = team(['app', 'create', 'wiki', '--stack', 'wiki', '--no-wait', '-n', ns.name]);
      expect(again.stdout.trim()).toBe('No changes: app wiki is up to date.');
      const deployed = team(['app', 'deploy', 'wiki', '--image', 'quay.io/team/wiki:1.5', '--no-wait', '-n', ns.name, '--json']);
      expect(deployed.status).toBe(0);
      expect(output(deployed)).not.toContain(encoded);
      expect((await secret()).metadata.resourceVersion).toBe(written.metadata.resourceVersion);

      const manifests = teamOffline(['app', 'create', 'wiki', '--stack', 'wiki', '--dry-run']);
      expect(manifests.stdout).toMatch(/admin-password: "••••"/);
      const revealed = teamOffline(['app', 'create', 'wiki', '--stack', 'wiki', '--dry-run', '--reveal']);
      // YAML quotes a value that would read as a number.
      expect(revealed.stdout).toMatch(/admin-password: "?[a-zA-Z0-9]{24}"?\n/);
    },
    TIMEOUT,
  );

  test(
    'keeps a password given with --param in the Secret only, not on the readable record, and keeps it when left out later',
    async () => {
      const create = ['app', 'create', 'notes', '--stack', 'wiki', '--no-wait', '-n', ns.name];
      const first = team([...create, '--param', 'ADMIN_PASSWORD=Chosen4Pass', '--json']);
      expect(first.status).toBe(0);
      expect(output(first)).not.toContain('Chosen4Pass');
      const record = await kubectlJson(['get', 'configmap', 'gshift-app-notes'], {namespace: ns.name});
      expect(JSON.stringify(record.data)).not.toContain('Chosen4Pass');
      const password = async () => Buffer.from((await kubectlJson(['get', 'secret', 'notes'], {namespace: ns.name})).data['admin-password'], 'base64').toString();
      expect(await password()).toBe('Chosen4Pass');

      expect(team([...create, '--param', 'ADMIN_PASSWORD=Chosen4Pass']).stdout.trim()).toBe('No changes: app notes is up to date.');
      expect(team(create).stdout.trim()).toBe('No changes: app notes is up to date.');
      expect(await password()).toBe('Chosen4Pass');
    },
    TIMEOUT,
  );
});

describe('app create with a database stack', () => {
  test('is refused before anything is written, with the gshift db create command that makes the database', async () => {
    const before = await versionsIn(ns);
    const run = gshift(ns, ['app', 'create', 'orders', '--stack', 'postgresql', '--storage', '5Gi', '-n', ns.name]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`Error: Stack postgresql is a database, and databases are created with gshift db create.\nTry: run gshift db create orders --engine postgresql --size 5Gi -n ${ns.name} instead.\n`);
    expect(await versionsIn(ns)).toEqual(before);
    expect((await kubectlResult(['get', 'configmap', 'gshift-app-orders'], {namespace: ns.name})).code).not.toBe(0);
  });
});
