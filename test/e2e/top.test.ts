// gshift top on the real test cluster: CPU and memory from the metrics API (metrics-server over
// kwok's simulated usage) per pod and per app, against requests and limits, busiest first; the
// same figures in app status; one line, exit 0, where the cluster has no metrics API.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {TEST_KUBECONFIG, kubectlJson, kubectlResult, newNamespace, setSimulatedUsage, waitUntil, type TestNamespace} from './support/index.ts';

const TIMEOUT = 180_000;

describe('with the metrics API', () => {
  let ns: TestNamespace;
  let busy: string;
  let idle: string;
  const run = (...args: string[]) => gshift(ns, [...args, '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('top');
    for (const [name, replicas] of [['web', '2'], ['api', '1']] as const) {
      const created = run('app', 'create', name, '--stack', 'nodejs', '--replicas', replicas);
      if (created.status !== 0) throw new Error(output(created));
    }
    const pods = (await kubectlJson<any>(['get', 'pods', '-l', 'gshift.io/app=web'], {namespace: ns.name})).items.map((pod: any) => pod.metadata.name as string).sort();
    [busy, idle] = pods as [string, string];
    await setSimulatedUsage(ns.name, busy, {cpu: '250m', memory: '300Mi'});
    await setSimulatedUsage(ns.name, idle, {cpu: '20m', memory: '100Mi'});
    // Two scrapes after the change: CPU is a rate between two.
    await waitUntil(
      () => {
        const pods = envelope(run('top', '--json')).result.pods as any[];
        return pods.length === 3 && pods.find((pod) => pod.pod === busy)?.cpu.used >= 240 && pods.find((pod) => pod.pod === idle)?.cpu.used <= 30;
      },
      {timeoutMs: 90_000, intervalMs: 2000, description: 'the metrics API to report the simulated usage'},
    );
  }, TIMEOUT);

  test('shows each pod and each app against requests and limits, busiest first', () => {
    const result = envelope(run('top', '--json')).result;
    expect(result.metricsApi).toBe('available');
    expect(result.pods.map((pod: any) => pod.pod)[0]).toBe(busy);
    expect(result.pods[0]).toMatchObject({app: 'web', cpu: {request: 100, limit: 1000}, memory: {used: 300 * 2 ** 20, request: 256 * 2 ** 20, ofRequest: 117, limit: 512 * 2 ** 20, ofLimit: 59}});
    expect(result.pods[0].cpu.ofRequest).toBeGreaterThanOrEqual(240);
    expect(result.apps.map((app: any) => [app.app, app.pods])).toEqual([['web', 2], ['api', 1]]);
    expect(result.apps[0].memory).toMatchObject({used: 400 * 2 ** 20, request: 512 * 2 ** 20, ofRequest: 78});

    const table = run('top');
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^POD\s+APP\s+CPU\s+CPU\/REQ\s+CPU\/LIM\s+MEMORY\s+MEM\/REQ\s+MEM\/LIM/);
    expect(table.stdout).toMatch(new RegExp(`${busy}\\s+web\\s+2\\d\\dm\\s+2\\d\\d%\\s+2\\d%\\s+300Mi\\s+117%\\s+59%`));
    expect(table.stdout).toMatch(/\nAPP\s+PODS\s+CPU/);
    expect(table.stdout).toMatch(/\nweb\s+2\s+2\d\dm/);
  });

  test('for one app, ordered by memory on request, as YAML on request', () => {
    const byMemory = envelope(run('top', 'web', '--sort-by', 'memory', '--json')).result;
    expect(byMemory.pods.map((pod: any) => pod.pod)).toEqual([busy, idle]);
    expect(byMemory.apps).toEqual([expect.objectContaining({app: 'web', pods: 2})]);
    const yaml = run('top', 'web', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^namespace: top-\w+\napp: web\nmetricsApi: available\n/);
    expect(run('top', 'web', '-o', 'wide').stdout).toMatch(/POD\s+CPU\s+CPU\/REQ\s+CPU\/LIM\s+CPU REQ\s+CPU LIM\s+MEMORY.*NODE/);
  });

  test('app status shows the same figures', () => {
    const status = run('app', 'status', 'web');
    expect(status.stdout).toMatch(/Usage:\s+CPU 2\d\dm \(\d+% of requests\), memory 400Mi \(78% of requests\)/);
    expect(status.stdout).toMatch(new RegExp(`${busy}\\s+Running\\s+1/1\\s+0\\s+\\S+\\s+2\\d\\dm\\s+2\\d\\d%\\s+300Mi\\s+117%`));
  });

  test('says which apps exist when asked for one that does not', () => {
    const missing = run('top', 'nope');
    expect(missing.status).toBe(6);
    expect(missing.stderr).toMatch(/No app "nope" in namespace "top-\w+" \(apps there: api, web\)/);
  });
});

describe("a tenant's own account", () => {
  const tenant = `topci-${randomBytes(3).toString('hex')}`;
  const cluster = {kubeconfig: TEST_KUBECONFIG};

  beforeAll(() => {
    for (const args of [['tenant', 'create', tenant, '--envs', 'dev', '--ci-account'], ['app', 'create', 'web', '--stack', 'nodejs', '--tenant', tenant, '--env', 'dev']]) {
      const run = gshift(cluster, args);
      if (run.status !== 0) throw new Error(output(run));
    }
  }, TIMEOUT);

  afterAll(async () => {
    await kubectlResult(['delete', 'namespace', `${tenant}-dev`, '--wait=false', '--ignore-not-found']);
  });

  test(
    "reads its namespace's figures (reading metrics is part of the view, edit and admin roles)",
    async () => {
      const issued = gshift(cluster, ['tenant', 'ci-kubeconfig', tenant, '--env', 'dev']);
      expect(issued.status).toBe(0);
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'gshift-ci-')), 'kubeconfig');
      writeFileSync(kubeconfig, issued.stdout, {mode: 0o600});
      const result = await waitUntil(
        () => {
          const top = envelope(gshift(cluster, ['top', '--tenant', tenant, '--env', 'dev', '--json'], {kubeconfig}));
          return top.ok && top.result.pods.length === 1 ? top.result : undefined;
        },
        {timeoutMs: 90_000, intervalMs: 2000, description: 'the CI account to see its pod in gshift top'},
      );
      expect(result).toMatchObject({namespace: `${tenant}-dev`, metricsApi: 'available', apps: [expect.objectContaining({app: 'web', pods: 1})]});
    },
    TIMEOUT,
  );
});

describe('without the metrics API', () => {
  let ns: TestNamespace;

  beforeAll(async () => {
    ns = await newNamespace('top-nometrics', {flavour: 'kubernetes'});
    const created = gshift(ns, ['app', 'create', 'web', '--stack', 'nodejs', '-n', ns.name]);
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test('says so in one line and exits 0, and app status says the same', () => {
    const run = gshift(ns, ['top', '-n', ns.name]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('The metrics API (metrics.k8s.io) is not available on this cluster, so there are no CPU and memory figures (metrics-server is not installed).\n');
    expect(envelope(gshift(ns, ['top', '-n', ns.name, '--json'])).result).toMatchObject({metricsApi: 'absent', pods: [], apps: []});
    expect(gshift(ns, ['app', 'status', 'web', '-n', ns.name]).stdout).toMatch(/Usage:\s+metrics API not available \(no metrics-server\)/);
  });
});
