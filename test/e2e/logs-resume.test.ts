// gshift logs --follow keeps every line exactly once across what breaks streams: a container
// restart, an API connection cut mid-stream, a connection that stalls without closing.
import {afterEach, describe, expect, test} from '@jest/globals';

import {deployApp, labelOf, linesByLabel, numbered, routeEachPod, runningPods, startLogs, type RunningLogs} from './logs-cli.ts';
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

import {gshift} from './app-cli.ts';
import {appendLogLines, containerLogFile, cuttableConnection, kubectlJson, newNamespace, waitForLogs, waitUntil} from './support/index.ts';

const TEST_TIMEOUT_MS = 150_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const running: RunningLogs[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((run) => run.stop('SIGKILL')));
});

describe('gshift logs --follow loses and doubles nothing', () => {
  test('across container restarts', async () => {
    const ns = await newNamespace('logs-restart');
    await deployApp(ns, 'web', {annotations: {'gshift.io/simulate': 'crash-loop'}});
    const [pod] = await runningPods(ns, 'web', 1);
    const [file] = Object.values(await routeEachPod(ns, [pod!], 'web'));
    const run = startLogs(ns, ['web', '-f', '--no-prefix', '--tail', '-1']);
    running.push(run);
    await run.waitFor(/Following 1 pod/, 30_000);
    const restarts = async () => (await kubectlJson<{status: {containerStatuses: {restartCount: number}[]}}>(['get', 'pod', pod!.metadata.name], {namespace: ns.name})).status.containerStatuses[0]!.restartCount;
    const before = await restarts();
    let written = 0;
    // Write through at least two restarts (the simulated container restarts every ~6-9 s).
    while ((await restarts()) < before + 2 && written < 4000) {
      appendLogLines(file!, numbered('line', written + 1, written + 20));
      written += 20;
      await sleep(100);
    }
    await run.waitFor((out) => out.includes(`line-${written}\n`), 30_000, `line ${written}`);
    expect(run.stdout().trim().split('\n')).toEqual(numbered('line', 1, written));
    expect(run.stderr()).toMatch(/container web restarted/);
  }, TEST_TIMEOUT_MS);

  test('across an API connection cut mid-stream, and a connection that stalls', async () => {
    const ns = await newNamespace('logs-relay');
    await deployApp(ns, 'web', {replicas: 2});
    const pods = await runningPods(ns, 'web', 2);
    const files = await routeEachPod(ns, pods, 'web');
    const relay = await cuttableConnection(ns.kubeconfig);
    try {
      const run = startLogs(ns, ['web', '-f', '--tail', '-1'], {kubeconfig: relay.kubeconfig, env: {GSHIFT_LOGS_IDLE: '3s'}});
      running.push(run);
      await run.waitFor(/Following 2 pods/, 30_000);
      const write = (from: number, to: number) => pods.forEach((pod) => appendLogLines(files[pod.metadata.name]!, numbered(labelOf(pod), from, to)));
      const seen = (n: number) => (out: string) => pods.every((pod) => out.includes(`${labelOf(pod)}-${n}\n`));
      write(1, 100);
      await run.waitFor(seen(100), 30_000, 'line 100');

      await relay.drop();
      write(101, 200);
      await sleep(2000);
      await relay.restore();
      write(201, 300);
      await run.waitFor(seen(300), 60_000, 'line 300 after the cut');
      expect(run.stderr()).toMatch(/reconnecting/);

      relay.stall();
      write(301, 400);
      await run.waitFor(seen(400), 60_000, 'line 400 after the stall');

      const byLabel = linesByLabel(run.stdout());
      for (const pod of pods) expect(byLabel.get(labelOf(pod))).toEqual(numbered(labelOf(pod), 1, 400));
      expect(run.stderr()).not.toMatch(/may be missing/);
    } finally {
      await relay.close();
    }
  }, TEST_TIMEOUT_MS);

  test('says so, on stderr and as a --json event, when lines were lost while disconnected (the log rotated)', async () => {
    const ns = await newNamespace('logs-gap');
    await deployApp(ns, 'web');
    const pods = await runningPods(ns, 'web', 1);
    const file = (await routeEachPod(ns, pods, 'web'))[pods[0]!.metadata.name]!;
    const relay = await cuttableConnection(ns.kubeconfig);
    try {
      const run = startLogs(ns, ['web', '-f', '--tail', '-1', '--json'], {kubeconfig: relay.kubeconfig});
      running.push(run);
      await run.waitFor(/Following 1 pod/, 30_000);
      appendLogLines(file, numbered('line', 1, 10));
      await run.waitFor(/"line-10"/, 30_000);
      await relay.drop();
      await sleep(1100);
      // Rotated while gshift could not read: lines 11-20 went with the old file.
      appendLogLines(file, numbered('line', 11, 20));
      writeFileSync(file, '');
      appendLogLines(file, numbered('line', 21, 30));
      await relay.restore();
      await run.waitFor(/"line-30"/, 60_000);
      const objects = run.stdout().trim().split('\n').map((text) => JSON.parse(text));
      expect(objects.filter((object) => object.message).map((object) => object.message)).toEqual([...numbered('line', 1, 10), ...numbered('line', 21, 30)]);
      const gap = objects.find((object) => object.event === 'gap');
      expect(gap).toMatchObject({pod: pods[0]!.metadata.name, container: 'web', after: expect.stringMatching(/^\d{4}-/), before: expect.stringMatching(/^\d{4}-/)});
      expect(run.stderr()).toMatch(/lines of container web may be missing after \S+ until \S+/);
    } finally {
      await relay.close();
    }
  }, TEST_TIMEOUT_MS);

  test('--previous shows the ended instance of a restarted container', async () => {
    const ns = await newNamespace('logs-previous');
    await deployApp(ns, 'web', {annotations: {'gshift.io/simulate': 'crash-loop'}});
    const [pod] = await runningPods(ns, 'web', 1);
    const name = pod!.metadata.name;
    const current = containerLogFile(ns.name, name, 'web');
    const previous = `${current}.previous`;
    mkdirSync(dirname(current), {recursive: true});
    writeFileSync(current, '');
    writeFileSync(previous, '');
    appendLogLines(current, ['current instance']);
    appendLogLines(previous, ['previous instance: exiting with 1']);
    await ns.kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
      input: JSON.stringify({apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: {name, namespace: ns.name}, spec: {logs: [{containers: ['web'], logsFile: current, previousLogsFile: previous, follow: true}]}}),
    });
    await waitForLogs(ns.name, name, {container: 'web'});
    await waitUntil(async () => (await kubectlJson<{status: {containerStatuses: {restartCount: number}[]}}>(['get', 'pod', name], {namespace: ns.name})).status.containerStatuses[0]!.restartCount > 0, {timeoutMs: 60_000, description: 'a restart'});
    const result = gshift(ns, ['logs', 'web', '--previous', '--no-prefix', '-n', ns.name]);
    expect({status: result.status, stdout: result.stdout}).toEqual({status: 0, stdout: 'previous instance: exiting with 1\n'});
    expect(gshift(ns, ['logs', 'web', '--no-prefix', '-n', ns.name]).stdout).toBe('current instance\n');
  }, TEST_TIMEOUT_MS);
});
