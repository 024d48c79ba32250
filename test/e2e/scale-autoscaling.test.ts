// Autoscaling that really scales: kube-controller-manager's HPA controller, fed by metrics-server
// from kwok's simulated usage, scales an app up when its pods' CPU rises above the target, and
// `gshift scale` and `gshift top` show it; and why an autoscaler does not scale, in plain words,
// when a container has no CPU request or the cluster has no metrics API.
import {beforeAll, describe, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {kubectlJson, newNamespace, setSimulatedUsage, waitUntil, type TestNamespace} from './support/index.ts';

const TIMEOUT = 240_000;
// Metrics arrive every 10 s and the controller looks every 5 s; generous, as a loaded machine is slow.
const SCALING_WAIT = 180_000;

const hpaCondition = async (ns: TestNamespace, type: string) => {
  const hpa = await kubectlJson<any>(['get', 'hpa', 'web'], {namespace: ns.name, flavour: ns.flavour});
  return (hpa.status?.conditions ?? []).find((condition: any) => condition.type === type);
};

describe('the HPA controller', () => {
  let ns: TestNamespace;
  const run = (...args: string[]) => gshift(ns, [...args, '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('scale-live');
    const created = run('app', 'create', 'web', '--stack', 'nodejs');
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test(
    "scales the app up when its pods' CPU rises above the target, and gshift scale and gshift top show it",
    async () => {
      const autoscaled = run('scale', 'web', '--min', '1', '--max', '3', '--cpu', '50');
      expect(autoscaled.status).toBe(0);
      // The one pod uses 90m of its 100m request: 90% against a 50% target.
      const pods = await kubectlJson<any>(['get', 'pods', '-l', 'gshift.io/app=web'], {namespace: ns.name});
      expect(pods.items).toHaveLength(1);
      const busy = pods.items[0].metadata.name as string;
      await setSimulatedUsage(ns.name, busy, {cpu: '90m'});

      await waitUntil(async () => (await kubectlJson<any>(['get', 'deployment', 'web'], {namespace: ns.name})).spec.replicas >= 2, {timeoutMs: SCALING_WAIT, intervalMs: 2000, description: 'the HPA to scale web up'});

      // gshift scale web: the autoscaler, what it saw, and that it rescaled.
      const status = await waitUntil(
        () => {
          const shown = run('scale', 'web', '--json');
          const result = envelope(shown).result;
          return result.autoscaler?.current >= 2 && result.events.some((event: any) => event.reason === 'SuccessfulRescale') ? result : undefined;
        },
        {timeoutMs: 60_000, intervalMs: 2000, description: 'gshift scale to show the rescale'},
      );
      expect(status).toMatchObject({app: 'web', mode: 'autoscaled', metricsApi: 'available', autoscaler: {min: 1, max: 3, targets: [expect.objectContaining({resource: 'cpu', target: 50})]}});
      const shown = run('scale', 'web');
      expect(shown.status).toBe(0);
      expect(shown.stdout).toMatch(/Scaling:\s+autoscaled by HorizontalPodAutoscaler web: 1–3 replicas/);
      expect(shown.stdout).toMatch(/Targets:\s+CPU \d+% of request, target 50%/);
      expect(shown.stdout).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
      expect(shown.stdout).toMatch(/SuccessfulRescale\s+HorizontalPodAutoscaler\/web\s+New size: \d; reason: cpu resource utilization \(percentage of request\) above target/);

      // gshift top web: the busy pod first, near 90m and 90% of its request.
      const top = await waitUntil(
        () => {
          const result = envelope(run('top', 'web', '--json')).result;
          return result.pods.length >= 2 ? result : undefined;
        },
        {timeoutMs: 60_000, intervalMs: 2000, description: 'gshift top to report the new pod too'},
      );
      expect(top.pods[0]).toMatchObject({pod: busy, app: 'web', cpu: {request: 100, limit: 1000}});
      expect(top.pods[0].cpu.used).toBeGreaterThanOrEqual(80);
      expect(top.pods[0].cpu.ofRequest).toBeGreaterThanOrEqual(80);
      expect(top.apps).toEqual([expect.objectContaining({app: 'web', pods: top.pods.length})]);
      const table = run('top', 'web');
      expect(table.stdout).toMatch(new RegExp(`${busy}\\s+(8\\d|9\\d|1\\d\\d)m\\s+\\d+%`));
    },
    TIMEOUT,
  );

  test(
    'says why it does not scale when a container has no CPU request: utilisation cannot be computed',
    async () => {
      // Someone removed the CPU request (and the limit, which would stand in for it) by hand.
      await ns.kubectl(['patch', 'deployment', 'web', '--type', 'json', '-p', JSON.stringify([
        {op: 'remove', path: '/spec/template/spec/containers/0/resources/requests/cpu'},
        {op: 'remove', path: '/spec/template/spec/containers/0/resources/limits/cpu'},
      ])]);
      // The real controller's verdict first, then gshift's words for it.
      await waitUntil(async () => /missing request for cpu/.test((await hpaCondition(ns, 'ScalingActive'))?.message ?? ''), {timeoutMs: SCALING_WAIT, intervalMs: 2000, description: 'the HPA to miss the CPU request'});
      const shown = run('scale', 'web');
      expect(shown.status).toBe(0);
      expect(shown.stdout).toMatch(/web is not autoscaling: it stays at \d replicas? \(bounds 1–3\)\./);
      expect(shown.stdout).toMatch(/- no CPU request on container nodejs, so CPU utilisation cannot be computed/);
      expect(shown.stdout).toMatch(/ScalingActive\s+False\s+FailedGetResourceMetric/);
    },
    TIMEOUT,
  );
});

describe('a cluster without the metrics API', () => {
  let ns: TestNamespace;
  const run = (...args: string[]) => gshift(ns, [...args, '-n', ns.name]);

  beforeAll(async () => {
    ns = await newNamespace('scale-nometrics', {flavour: 'kubernetes'});
    const created = run('app', 'create', 'web', '--stack', 'nodejs');
    if (created.status !== 0) throw new Error(output(created));
  }, TIMEOUT);

  test(
    'gets an autoscaler that says why it cannot scale: the metrics API is not available',
    async () => {
      expect(run('scale', 'web', '--min', '1', '--max', '3', '--cpu', '50').status).toBe(0);
      await waitUntil(async () => (await hpaCondition(ns, 'ScalingActive'))?.status === 'False', {timeoutMs: SCALING_WAIT, intervalMs: 2000, description: 'the HPA to fail to get metrics'});
      const shown = run('scale', 'web');
      expect(shown.status).toBe(0);
      expect(shown.stdout).toMatch(/Metrics API:\s+not available \(no metrics-server\)/);
      expect(shown.stdout).toMatch(/web is not autoscaling/);
      expect(shown.stdout).toMatch(/- the metrics API \(metrics\.k8s\.io\) is not available on this cluster, so there are no CPU and memory figures to scale on \(metrics-server is not installed\)/);
      expect(envelope(run('scale', 'web', '--json')).result).toMatchObject({metricsApi: 'absent', explanation: {state: 'not-scaling'}});
    },
    TIMEOUT,
  );
});
