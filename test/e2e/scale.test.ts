// gshift scale on the real test cluster: a fixed count through the scale subresource with the
// rollout's progress, kept by later renders; an autoscaler created, updated and removed; a count
// the autoscaler would undo refused; the tenant quota's refusal said at once (exit 15); bad
// input refused with nothing changed.
import {randomBytes} from 'node:crypto';
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {repoRoot} from '../support/cli.ts';
import {envelope, gshift, output, versionsIn} from './app-cli.ts';
import {TEST_KUBECONFIG, kubectlJson, kubectlResult, newNamespace, waitUntil, type TestNamespace} from './support/index.ts';

const TIMEOUT = 120_000;

const deploymentOf = (ns: Pick<TestNamespace, 'name' | 'kubeconfig'>, name = 'web') => kubectlJson<any>(['get', 'deployment', name], {namespace: ns.name, kubeconfig: ns.kubeconfig});
const autoscalerOf = async (ns: TestNamespace, name = 'web') => {
  const found = await kubectlResult(['get', 'hpa', name, '-o', 'json'], {namespace: ns.name});
  return found.code === 0 ? JSON.parse(found.stdout) : undefined;
};

describe('a fixed count', () => {
  let ns: TestNamespace;
  const scale = (...args: string[]) => gshift(ns, ['scale', 'web', ...args, '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('scale-count');
    const created = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '-n', ns.name]);
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test(
    'scales to N through the scale subresource, waits for the pods with progress, and later renders keep it',
    async () => {
      const run = scale('--replicas', '3');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Scaled web from 1 to 3 replicas\./);
      // The rollout's progress, as timestamped lines in CI.
      expect(run.stderr).toMatch(/web: desired 3 · updated \d · ready \d · available \d/);
      expect(run.stderr).toMatch(/✓ Rolled out web/);
      const deployment = await deploymentOf(ns);
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.status.readyReplicas).toBe(3);
      const fields = await kubectlJson<any>(['get', 'deployment', 'web', '--show-managed-fields'], {namespace: ns.name});
      expect(fields.metadata.managedFields).toContainEqual(expect.objectContaining({manager: 'gshift-scale', subresource: 'scale'}));

      // app deploy and env set render the app again: the count stays.
      expect(gshift(ns, ['app', 'deploy', 'web', '--image', 'quay.io/acme/web:2', '-n', ns.name]).status).toBe(0);
      expect(gshift(ns, ['app', 'env', 'set', 'web', 'LOG_LEVEL=debug', '-n', ns.name]).status).toBe(0);
      expect((await deploymentOf(ns)).spec.replicas).toBe(3);

      const again = scale('--replicas', '3');
      expect(again.status).toBe(0);
      expect(again.stdout.trim()).toBe('No changes: web already runs 3 replicas.');
    },
    TIMEOUT,
  );

  test(
    'scales down, and to zero, without waiting when asked not to',
    async () => {
      const down = scale('--replicas', '1', '--json');
      expect(down.status).toBe(0);
      expect(envelope(down).result).toMatchObject({app: 'web', change: 'replicas', before: {replicas: 3}, after: {replicas: 1}, changed: true, rollout: [expect.objectContaining({deployment: 'web'})]});
      const zero = scale('--replicas', '0', '--no-wait');
      expect(zero.status).toBe(0);
      expect((await deploymentOf(ns)).spec.replicas).toBe(0);
      expect(scale('--replicas', '1').status).toBe(0);
    },
    TIMEOUT,
  );
});

describe('an autoscaler', () => {
  let ns: TestNamespace;
  const scale = (...args: string[]) => gshift(ns, ['scale', 'web', ...args, '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('scale-hpa');
    const created = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--replicas', '2', '-n', ns.name]);
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test(
    'is created with its bounds and targets, keeping the count it starts from',
    async () => {
      const run = scale('--min', '1', '--max', '3', '--cpu', '60');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/horizontalpodautoscaler\.autoscaling\/web created/);
      expect(run.stdout).toMatch(/web is autoscaled: 1–3 replicas on CPU 60% of requests \(was a fixed 2 replicas\)\./);
      const hpa = await autoscalerOf(ns);
      expect(hpa.spec).toMatchObject({minReplicas: 1, maxReplicas: 3, scaleTargetRef: {kind: 'Deployment', name: 'web'}});
      expect(hpa.spec.metrics).toEqual([{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 60}}}]);
      expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
      // The hand-over kept the 2 replicas: the apply no longer sets the count, and it was not reset to 1.
      const deployment = await deploymentOf(ns);
      expect(deployment.spec.replicas).toBe(2);
      expect(deployment.status.observedGeneration).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  test(
    'is updated by what the flags name, and survives app deploy and env set',
    async () => {
      const run = scale('--max', '5', '--memory', '80');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/web is autoscaled: 1–5 replicas on CPU 60%, memory 80% of requests \(was 1–3 replicas on CPU 60% of requests\)\./);
      expect(gshift(ns, ['app', 'env', 'set', 'web', 'MODE=busy', '-n', ns.name]).status).toBe(0);
      const hpa = await autoscalerOf(ns);
      expect(hpa.spec).toMatchObject({minReplicas: 1, maxReplicas: 5});
      expect(hpa.spec.metrics.map((metric: any) => [metric.resource.name, metric.resource.target.averageUtilization])).toEqual([['cpu', 60], ['memory', 80]]);
      expect(scale('--max', '5').stdout).toMatch(/No changes: web is already autoscaled/);
    },
    TIMEOUT,
  );

  test('makes a fixed --replicas a refusal that names the way forward, changing nothing', async () => {
    const before = await versionsIn(ns);
    const run = scale('--replicas', '4');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Error: web is autoscaled \(1–5 replicas\): the autoscaler would undo a fixed count of 4 within seconds\./);
    expect(run.stderr).toMatch(/Try: change its bounds with gshift scale web --min 4 --max 5, or remove it and pin the count with gshift scale web --manual --replicas 4\./);
    expect(await versionsIn(ns)).toEqual(before);
  });

  test(
    'is removed by --manual, which pins the count, and stays removed after later renders',
    async () => {
      const run = scale('--manual', '--replicas', '2');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/web runs a fixed 2 replicas; its autoscaler \(1–5 replicas on CPU 60%, memory 80% of requests\) is removed\./);
      expect(await autoscalerOf(ns)).toBeUndefined();
      expect((await deploymentOf(ns)).spec.replicas).toBe(2);
      expect(gshift(ns, ['app', 'deploy', 'web', '--image', 'quay.io/acme/web:3', '-n', ns.name]).status).toBe(0);
      expect(await autoscalerOf(ns)).toBeUndefined();
      expect((await deploymentOf(ns)).spec.replicas).toBe(2);
    },
    TIMEOUT,
  );
});

describe('in a high-availability environment', () => {
  let ns: TestNamespace;
  const scale = (...args: string[]) => gshift(ns, ['scale', 'web', ...args, '--env', 'prod', '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('scale-prod');
    const created = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '--env', 'prod', '-n', ns.name]);
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test('the platform\'s autoscaler owns the count: --replicas is refused, and fewer than 2 by any route', async () => {
    const before = await versionsIn(ns);
    expect(scale('--replicas', '3').stderr).toMatch(/web is autoscaled \(2–4 replicas\)/);
    const manual = scale('--manual', '--replicas', '1');
    expect(manual.status).toBe(2);
    expect(manual.stderr).toMatch(/prod is a high-availability environment, so nodejs apps run at least 2 replicas\./);
    const low = scale('--min', '1');
    expect(low.status).toBe(2);
    expect(low.stderr).toMatch(/--min 1 is too low/);
    expect(await versionsIn(ns)).toEqual(before);
  });

  test(
    'its bounds change with --min/--max',
    async () => {
      expect(scale('--max', '6').status).toBe(0);
      expect((await autoscalerOf(ns)).spec).toMatchObject({minReplicas: 2, maxReplicas: 6});
    },
    TIMEOUT,
  );
});

describe('the tenant quota', () => {
  // A tenant whose dev environment has CPU requests for 3 pods of 100m: one runs.
  const tenant = `scaleq-${randomBytes(3).toString('hex')}`;
  const namespace = `${tenant}-dev`;
  const cluster = {kubeconfig: TEST_KUBECONFIG};
  const ns = {name: namespace, kubeconfig: TEST_KUBECONFIG} as TestNamespace;
  const scale = (...args: string[]) => gshift(cluster, ['scale', 'web', ...args, '--tenant', tenant, '--env', 'dev']);
  const quotaUsed = async (name: string) => (await kubectlJson<any>(['get', 'resourcequota', name], {namespace})).status?.used?.['requests.cpu'];

  beforeAll(async () => {
    const created = gshift(cluster, ['tenant', 'create', tenant, '--envs', 'dev', '--quota', 'cpu=300m,limits.cpu=4']);
    if (created.status !== 0) throw new Error(output(created));
    const app = gshift(cluster, ['app', 'create', 'web', '--stack', 'nodejs', '--tenant', tenant, '--env', 'dev']);
    if (app.status !== 0) throw new Error(output(app));
    await waitUntil(async () => (await quotaUsed('gshift-quota')) === '100m', {description: 'the quota to count the running pod'});
  }, TIMEOUT);

  afterAll(async () => {
    await kubectlResult(['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']);
  });

  test('refuses a scale-up it would not admit at once: exit 15, the resource, used/hard, by how much; nothing changed', async () => {
    const before = await versionsIn(ns);
    // Were it to wait for the pods, it would end with a timeout (exit 9) after 10 minutes.
    const run = scale('--replicas', '5', '--timeout', '10m', '--json');
    expect(run.status).toBe(15);
    const error = envelope(run).error;
    expect(error).toMatchObject({code: 'QUOTA_EXCEEDED', exitCode: 15});
    expect(error.message).toBe(`The quota of ${namespace} does not allow 5 replicas of web: requests.cpu would be 200m over its limit of 300m (100m used, 4 more pods request 400m; ResourceQuota gshift-quota).`);
    expect(error.hint).toBe(`raise the quota (gshift tenant update ${tenant} --quota …), or scale to at most 3 replicas (gshift scale web --replicas 3).`);
    expect(await versionsIn(ns)).toEqual(before);
    expect((await deploymentOf(ns)).spec.replicas).toBe(1);
  });

  test(
    'warns when --max is beyond what the quota leaves room for',
    () => {
      const run = scale('--min', '1', '--max', '8', '--cpu', '70');
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`Warning: the quota of ${namespace} leaves room for at most 3 replicas of web, below --max 8 (requests.cpu: 100m of 300m used, each pod takes 100m)`);
      expect(scale('--manual', '--replicas', '1').status).toBe(0);
    },
    TIMEOUT,
  );

  test(
    "reports a refusal the ReplicaSet meets while waiting as the quota's, not as a timeout",
    async () => {
      // A scoped quota (pods with requests only): gshift does not guess which pods a scope counts,
      // so the scale goes ahead and the ReplicaSet's FailedCreate says no.
      const scoped = {apiVersion: 'v1', kind: 'ResourceQuota', metadata: {name: 'burstable'}, spec: {hard: {'requests.cpu': '150m'}, scopes: ['NotBestEffort']}};
      await kubectlResult(['apply', '-f', '-'], {namespace, input: JSON.stringify(scoped)});
      await waitUntil(async () => (await quotaUsed('burstable')) === '100m', {description: 'the scoped quota to count the running pod'});
      // Exit 15, not a timeout (exit 9) after 10 minutes.
      const run = scale('--replicas', '2', '--timeout', '10m');
      expect(run.status).toBe(15);
      expect(run.stderr).toContain(`Error: The quota of ${namespace} does not allow 2 replicas of web: requests.cpu would be 50m over its limit of 150m (100m used, 1 more pod requests 100m; ResourceQuota burstable).`);
      await kubectlResult(['delete', 'resourcequota', 'burstable'], {namespace});
    },
    TIMEOUT,
  );
});

describe('bad input', () => {
  let ns: TestNamespace;
  let dbNs: TestNamespace;
  let teamDir: string;

  beforeAll(async () => {
    ns = await newNamespace('scale-bad');
    // A team's stack that relaxes the resources standard and gives its container a CPU request only.
    teamDir = mkdtempSync(join(tmpdir(), 'gshift-team-'));
    mkdirSync(join(teamDir, 'stacks', 'lean'), {recursive: true});
    const template = readFileSync(join(repoRoot, 'templates', 'nodejs', 'template.yaml'), 'utf8')
      .replace(/^ {2}name: nodejs$/m, '  name: lean')
      .replace(/^( {10})resources:\n(?:\1 .*\n)+/m, '$1resources:\n$1  requests:\n$1    cpu: 100m\n');
    expect(template).not.toMatch(/MEMORY_REQUEST\}/);
    writeFileSync(join(teamDir, 'stacks', 'lean', 'template.yaml'), template);
    writeFileSync(
      join(teamDir, 'stacks', 'lean', 'stack.yaml'),
      readFileSync(join(repoRoot, 'templates', 'nodejs', 'stack.yaml'), 'utf8').replace(/^name: nodejs$/m, 'name: lean').replace(/^ {2}relaxable: \[\]$/m, '  relaxable: [resources]'),
    );
    writeFileSync(join(teamDir, 'gshift.config.yaml'), 'templateDirs: [stacks]\n');
    mkdirSync(join(teamDir, '.git'));
    const created = gshift(ns, ['app', 'create', 'lean', '--stack', 'lean', '-n', ns.name], {cwd: teamDir});
    if (created.status !== 0) throw new Error(output(created));
    dbNs = await newNamespace('scale-db');
    const db = gshift(dbNs, ['db', 'create', 'orders', '--engine', 'postgresql', '--size', '1Gi', '--no-wait', '-n', dbNs.name]);
    if (db.status !== 0) throw new Error(output(db));
  }, TIMEOUT);

  test.each([
    [['--replicas', '-1'], /--replicas: -1 is less than 0/],
    [['--replicas', '2.5'], /--replicas: "2\.5" is not a whole number/],
    [['--min', '5', '--max', '2'], /--min 5 is above --max 2/],
    [['--max', '3', '--cpu', '0'], /--cpu: 0 is less than 1/],
    [['--max', '3', '--memory', '101'], /--memory: 101 is more than 100/],
  ])('refuses %j before reaching the cluster', (args, message) => {
    const run = gshift(ns, ['scale', 'lean', ...args, '-n', ns.name], {cwd: teamDir});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test('refuses a target no request of the containers can measure, changing nothing', async () => {
    const before = await versionsIn(ns);
    const run = gshift(ns, ['scale', 'lean', '--max', '3', '--memory', '80', '-n', ns.name], {cwd: teamDir});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Error: Container nodejs of lean has no memory request, so memory utilisation cannot be computed for --memory 80\./);
    expect(await autoscalerOf(ns, 'lean')).toBeUndefined();
    expect(await versionsIn(ns)).toEqual(before);
  });

  test('refuses to scale a database by replicas, pointing to db create --ha', () => {
    const run = gshift(dbNs, ['scale', 'orders', '--replicas', '3', '-n', dbNs.name]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Error: orders is a database: more replicas of it would be separate, empty databases/);
    expect(run.stderr).toMatch(/Try: a database gets high availability \(a replicated cluster\) from gshift db create orders --ha\./);
  });

  test('says which apps exist when the app does not', () => {
    const run = gshift(ns, ['scale', 'nope', '--replicas', '2', '-n', ns.name]);
    expect(run.status).toBe(6);
    expect(run.stderr).toMatch(/No app "nope" in namespace "scale-bad-\w+" \(apps there: lean\)/);
  });
});
