// gshift logs on the real test cluster: kwok serves container logs from files the tests append
// to (see support/logs.ts), through the API server, as kubelet would.
import {describe, expect, test} from '@jest/globals';

import {gshift, output} from './app-cli.ts';
import {deployApp, labelOf, linesByLabel, numbered, routeEachPod, runningPods, startLogs} from './logs-cli.ts';
import {appendLogLines, criLogLine, newNamespace, type TestNamespace} from './support/index.ts';
import {appendFileSync} from 'node:fs';

const TEST_TIMEOUT_MS = 120_000;

async function appWithLogs(prefix: string, replicas: number, lines = 5) {
  const ns = await newNamespace(prefix);
  await deployApp(ns, 'web', {replicas});
  const pods = await runningPods(ns, 'web', replicas);
  const files = await routeEachPod(ns, pods, 'web');
  for (const pod of pods) appendLogLines(files[pod.metadata.name]!, numbered(labelOf(pod), 1, lines));
  return {ns, pods, files};
}

const logs = (ns: TestNamespace, args: string[]) => gshift(ns, ['logs', ...args, '-n', ns.name]);

describe('gshift logs without --follow', () => {
  test('shows the last lines of every pod, labelled without the ReplicaSet hash, merged in time order', async () => {
    const {ns, pods} = await appWithLogs('logs-read', 3);
    // No terminal, NO_COLOR unset: still no colour.
    const result = gshift(ns, ['logs', 'web', '--tail', '2', '-n', ns.name], {env: {NO_COLOR: undefined}});
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/\u001B\[/);
    const byLabel = linesByLabel(result.stdout);
    expect([...byLabel.keys()].sort()).toEqual(pods.map(labelOf).sort());
    for (const pod of pods) expect(byLabel.get(labelOf(pod))).toEqual(numbered(labelOf(pod), 4, 5));
    // Each pod's file was written after the previous one's: time order puts pod by pod.
    expect(result.stdout.split('\n').filter(Boolean).map((line) => line.split(/ +/)[0])).toEqual(pods.flatMap((pod) => [labelOf(pod), labelOf(pod)]));
  }, TEST_TIMEOUT_MS);

  test('--tail -1 shows every line, the default 50, --no-prefix only the message, --timestamps the time', async () => {
    const {ns, pods, files} = await appWithLogs('logs-tail', 1, 0);
    const file = files[pods[0]!.metadata.name]!;
    appendLogLines(file, numbered('n', 1, 80));
    expect(logs(ns, ['web', '--tail', '-1']).stdout.trim().split('\n')).toHaveLength(80);
    const byDefault = logs(ns, ['web', '--no-prefix']).stdout.trim().split('\n');
    expect(byDefault).toEqual(numbered('n', 31, 80));
    const stamped = logs(ns, ['web', '--tail', '1', '--timestamps']).stdout.trim();
    expect(stamped).toMatch(new RegExp(`^${labelOf(pods[0]!)} \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z n-80$`));
  }, TEST_TIMEOUT_MS);

  test('--grep and --exclude pick lines; --since leaves out older ones', async () => {
    const {ns, pods, files} = await appWithLogs('logs-filter', 1, 0);
    const file = files[pods[0]!.metadata.name]!;
    const hourAgo = new Date(Date.now() - 3600_000);
    appendFileSync(file, criLogLine('ERROR old failure', 'stdout', hourAgo) + criLogLine('INFO old', 'stdout', hourAgo));
    appendLogLines(file, ['ERROR db timeout', 'INFO request ok', 'ERROR healthz failed', 'WARN slow']);
    expect(logs(ns, ['web', '--no-prefix', '--grep', 'ERROR|WARN', '--exclude', 'healthz']).stdout.trim().split('\n')).toEqual(['ERROR old failure', 'ERROR db timeout', 'WARN slow']);
    expect(logs(ns, ['web', '--no-prefix', '--since', '10m']).stdout.trim().split('\n')).toEqual(['ERROR db timeout', 'INFO request ok', 'ERROR healthz failed', 'WARN slow']);
    const since = new Date(Date.now() - 1800_000).toISOString();
    expect(logs(ns, ['web', '--no-prefix', '--since-time', since, '--grep', 'ERROR']).stdout.trim().split('\n')).toEqual(['ERROR db timeout', 'ERROR healthz failed']);
  }, TEST_TIMEOUT_MS);

  test('--json prints one object per line: pod, container, node, time, message, and a structured line parsed', async () => {
    const {ns, pods, files} = await appWithLogs('logs-json', 1, 0);
    appendLogLines(files[pods[0]!.metadata.name]!, ['plain text', '{"level":"error","msg":"db down","attempt":3}']);
    const result = logs(ns, ['web', '--json']);
    expect(result.status).toBe(0);
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(objects).toEqual([
      {pod: pods[0]!.metadata.name, container: 'web', node: expect.stringMatching(/./), time: expect.stringMatching(/^\d{4}-/), message: 'plain text'},
      expect.objectContaining({message: '{"level":"error","msg":"db down","attempt":3}', json: {level: 'error', msg: 'db down', attempt: 3}}),
    ]);
  }, TEST_TIMEOUT_MS);

  test('-c shows another container; --all-containers labels each pod/container', async () => {
    const ns = await newNamespace('logs-containers');
    await deployApp(ns, 'web', {containers: ['web', 'proxy']});
    const [pod] = await runningPods(ns, 'web', 1);
    const {routePodLogs, waitForLogs} = await import('./support/index.ts');
    const files = await routePodLogs(ns.name, pod!.metadata.name, ['web', 'proxy']);
    await waitForLogs(ns.name, pod!.metadata.name, {container: 'proxy'});
    appendLogLines(files.web!, ['app line']);
    appendLogLines(files.proxy!, ['proxy line']);
    expect(logs(ns, ['web', '--no-prefix']).stdout.trim()).toBe('app line');
    expect(logs(ns, ['web', '-c', 'proxy', '--no-prefix']).stdout.trim()).toBe('proxy line');
    const all = logs(ns, ['web', '--all-containers']).stdout.trim().split('\n');
    expect(all).toEqual([`${labelOf(pod!)}/web   app line`, `${labelOf(pod!)}/proxy proxy line`]);
  }, TEST_TIMEOUT_MS);

  test('piped into head -1 it ends cleanly with exit 0', async () => {
    const {ns, pods, files} = await appWithLogs('logs-epipe', 1, 0);
    appendLogLines(files[pods[0]!.metadata.name]!, numbered('a-rather-long-line-to-fill-the-pipe-buffer-quickly', 1, 20_000));
    const {execaSync} = await import('execa');
    const {repoRoot} = await import('../support/cli.ts');
    const run = (follow: string) =>
      execaSync('bash', ['-c', `node bin/run.js logs web ${follow} --tail -1 -n ${ns.name} | head -1; echo "exit \${PIPESTATUS[0]}"`], {
        cwd: repoRoot,
        env: {KUBECONFIG: ns.kubeconfig, NO_COLOR: '1', CI: '1'},
        reject: false,
        timeout: 60_000,
      });
    const once = run('');
    expect(once.stdout).toMatch(/-1\nexit 0$/);
    expect(once.stderr).toBe('');
    const followed = run('-f');
    expect(followed.stdout).toMatch(/-1\nexit 0$/);
  }, TEST_TIMEOUT_MS);
});

describe('gshift logs --db', () => {
  test("shows a database's pods", async () => {
    const ns = await newNamespace('logs-db');
    await deployApp(ns, 'orders', {component: 'database'});
    await runningPods(ns, 'orders', 1);
    appendLogLines(ns.logFile, ['database system is ready to accept connections']);
    const result = logs(ns, ['--db', 'orders', '--no-prefix']);
    expect({status: result.status, stdout: result.stdout}).toEqual({status: 0, stdout: 'database system is ready to accept connections\n'});
    expect(logs(ns, ['web', '--db', 'orders']).stderr).toMatch(/either an app or a database/);
  }, TEST_TIMEOUT_MS);
});

describe('gshift logs refuses bad input', () => {
  test('an app that does not exist, a container the pods do not have, --previous without restarts, and bad flags', async () => {
    const {ns} = await appWithLogs('logs-bad', 1, 1);
    const missing = logs(ns, ['nope']);
    expect(missing.status).toBe(6);
    expect(missing.stderr).toMatch(/No app "nope" in namespace "[^"]+" \(apps and databases there: web\)/);
    expect(missing.stderr).toMatch(/gshift app list/);
    const db = logs(ns, ['--db', 'web']);
    expect(db.status).toBe(6);
    expect(db.stderr).toMatch(/is an app, not a database/);
    const container = logs(ns, ['web', '-c', 'sidecar']);
    expect(container.status).toBe(2);
    expect(container.stderr).toMatch(/no container "sidecar"; they have: web/);
    const previous = logs(ns, ['web', '--previous']);
    expect(previous.status).toBe(2);
    expect(previous.stderr).toMatch(/has restarted, so there is no previous log/);
    for (const [args, message] of [
      [['web', '--grep', '(unclosed'], /--grep "\(unclosed" is not a valid regular expression/],
      [['web', '--since', 'yesterday'], /--since: "yesterday" is not a duration/],
      [['web', '--tail', '-3'], /--tail must be a number of lines, or -1/],
    ] as const) {
      const result = logs(ns, [...args]);
      expect({status: result.status, stderr: result.stderr}).toEqual({status: 2, stderr: expect.stringMatching(message)});
    }
    const json = logs(ns, ['nope', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ok: false, error: {code: 'NOT_FOUND', exitCode: 6}});
    const namespace = gshift(ns, ['logs', 'web', '-n', `${ns.name}-missing`]);
    expect(namespace.status).toBe(6);
    expect(namespace.stderr).toMatch(/namespace .* does not exist/);
  }, TEST_TIMEOUT_MS);
});

describe('gshift logs --follow', () => {
  test('streams every pod, attaches a pod added mid-stream, detaches a deleted one, loses and doubles nothing', async () => {
    const {ns, pods, files} = await appWithLogs('logs-follow', 3, 5);
    const run = startLogs(ns, ['web', '-f', '--tail', '2']);
    try {
      const labels = pods.map(labelOf);
      await run.waitFor((out) => labels.every((label) => out.includes(`${label}-5`)), 30_000, 'the backlog of every pod');
      expect(run.stderr()).toMatch(/Following 3 pods/);
      for (const pod of pods) appendLogLines(files[pod.metadata.name]!, numbered(labelOf(pod), 6, 10));
      await run.waitFor((out) => labels.every((label) => out.includes(`${label}-10`)), 30_000, 'new lines of every pod');

      // Scale-up: the fourth pod logs from the namespace's file until routed.
      await ns.kubectl(['scale', 'deployment/web', '--replicas=4']);
      await run.waitFor(/\+ web-\S+ joined/, 30_000, 'the new pod to join');
      const joined = /\+ (web-\S+) joined/.exec(run.stderr())![1]!;
      appendLogLines(ns.logFile, numbered('shared', 1, 5));
      await run.waitFor((out) => out.includes(`${joined}`) && /shared-5/.test(out), 30_000, 'the new pod\'s lines');

      // Deleting a pod: it leaves (and its replacement joins).
      const victim = pods[0]!;
      await ns.kubectl(['delete', 'pod', victim.metadata.name, '--wait=false']);
      await run.waitFor(new RegExp(`- ${labelOf(victim)} left`), 30_000, 'the deleted pod to leave');
      for (const pod of pods.slice(1)) appendLogLines(files[pod.metadata.name]!, numbered(labelOf(pod), 11, 15));
      await run.waitFor((out) => pods.slice(1).every((pod) => out.includes(`${labelOf(pod)}-15`)), 30_000, 'lines after the deletion');

      const byLabel = linesByLabel(run.stdout());
      expect(byLabel.get(labelOf(victim))).toEqual(numbered(labelOf(victim), 4, 10));
      for (const pod of pods.slice(1)) expect(byLabel.get(labelOf(pod))).toEqual(numbered(labelOf(pod), 4, 15));
      expect(byLabel.get(joined)).toEqual(numbered('shared', 1, 5));
      const result = await run.stop('SIGINT');
      expect(result.status).toBe(130);
    } finally {
      await run.stop('SIGKILL');
    }
  }, TEST_TIMEOUT_MS);
});
