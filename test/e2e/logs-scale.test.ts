// gshift logs --follow at scale: 200 pods' streams at once by one process, every line counted.
// All pods log from the namespace's one file (kwok serves each pod's log from it), so the
// simulated nodes need one log file, not 200. But kwok, like kubelet, opens an inotify
// instance for every followed request (cri-client's ReadLogs), and instances are limited per
// user (fs.inotify.max_user_instances, 128 by default): the test checks that first.
import {readFileSync, readdirSync, readlinkSync} from 'node:fs';

import {afterEach, describe, expect, test} from '@jest/globals';

import {deployApp, linesByLabel, numbered, runningPods, startLogs, type RunningLogs} from './logs-cli.ts';
import {appendLogLines, newNamespace} from './support/index.ts';

const PODS = Number(process.env.GSHIFT_E2E_LOG_PODS ?? 200);

/** inotify instances this machine still allows (all test processes run as one user). */
function freeInotifyInstances(): {limit: number; used: number} {
  const limit = Number(readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8'));
  let used = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) if (readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:inotify') used++;
    } catch {
      // A process that ended, or one we may not inspect.
    }
  }
  return {limit, used};
}
const LINES = 50;
const running: RunningLogs[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((run) => run.stop('SIGKILL')));
});

describe('gshift logs --follow at scale', () => {
  test(`follows ${PODS} pods at once and shows each of their lines exactly once`, async () => {
    const {limit, used} = freeInotifyInstances();
    if (limit - used < PODS + 4) {
      throw new Error(
        `kwok needs one inotify instance per followed log, and this machine allows ${limit} (${used} in use): ` +
          `${PODS} followed pods need fs.inotify.max_user_instances >= ${used + PODS + 4} (sysctl -w fs.inotify.max_user_instances=1024), ` +
          'or run with fewer pods (GSHIFT_E2E_LOG_PODS).',
      );
    }
    const ns = await newNamespace('logs-scale');
    await deployApp(ns, 'web', {replicas: PODS});
    const pods = await runningPods(ns, 'web', PODS, 180_000);
    const run = startLogs(ns, ['web', '-f', '--tail', '0']);
    running.push(run);
    await run.waitFor(new RegExp(`Following ${PODS} pods`), 60_000);
    // Until every stream is attached, a marker line every half second.
    let markers = 0;
    const attached = () => linesByLabel(run.stdout()).size >= PODS;
    while (!attached() && markers < 240) {
      appendLogLines(ns.logFile, [`marker-${++markers}`]);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(linesByLabel(run.stdout()).size).toBe(PODS);
    const before = run.stdout().length;
    appendLogLines(ns.logFile, numbered('seq', 1, LINES));
    await run.waitFor((out) => out.slice(before).split(`seq-${LINES}\n`).length - 1 >= PODS, 120_000, `seq-${LINES} from all ${PODS} pods`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const byLabel = linesByLabel(run.stdout());
    expect(byLabel.size).toBe(PODS);
    for (const [label, lines] of byLabel) expect({label, lines: lines.filter((line) => line.startsWith('seq-'))}).toEqual({label, lines: numbered('seq', 1, LINES)});
    expect(run.stderr()).not.toMatch(/may be missing/);
    expect(pods).toHaveLength(PODS);
  }, 420_000);
});
