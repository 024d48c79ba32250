// A create whose pods cannot run: each simulated failure diagnosed by `gshift app create` well
// before its --timeout (the diagnosis' exit 8, not the timeout's 9), a Pod Security rejection
// reported as the cause, and Ctrl-C while waiting saying
// what was applied (exit 130), with a re-run that converges.
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {beforeAll, describe, expect, test} from '@jest/globals';

import {repoRoot} from '../support/cli.ts';
import {envelope, gshift, output, startGshift} from './app-cli.ts';
import {SIMULATED_IMAGES, appendLogLines, newNamespace, type TestNamespace} from './support/index.ts';

// Fails fast means: ends with the diagnosis well before --timeout gives up (figures: npm run bench).
const WAIT_TIMEOUT = '3m';
const WELL_BEFORE_TIMEOUT_MS = 90_000;
const TIMEOUT = 90_000;
let ns: TestNamespace;

beforeAll(async () => {
  ns = await newNamespace('app-failures');
}, TIMEOUT);

function createFailing(name: string, image: string) {
  const started = Date.now();
  const run = gshift(ns, ['app', 'create', name, '--stack', 'nodejs', '--image', image, '--timeout', WAIT_TIMEOUT, '-n', ns.name]);
  return {run, elapsed: Date.now() - started};
}

describe('app create diagnoses pods that cannot run', () => {
  test(
    'an image that cannot be pulled',
    () => {
      const {run, elapsed} = createFailing('pull', SIMULATED_IMAGES.imagePullFailure);
      expect(run.status).toBe(8);
      expect(run.stdout).toMatch(/Created app pull/);
      expect(run.stderr).toMatch(/the image "gshift\.test\/simulate:image-pull-failure" cannot be pulled/);
      expect(elapsed).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
    },
    TIMEOUT,
  );

  test(
    'a container that keeps crashing: the cause, the events behind it and the last lines of its log',
    () => {
      appendLogLines(ns.logFile, ['listening on :8080', 'FATAL: DATABASE_URL is not set']);
      const {run, elapsed} = createFailing('crash', SIMULATED_IMAGES.crashLoop);
      expect(run.status).toBe(8);
      expect(run.stderr).toMatch(/^Error: Pod crash-\S+: container "nodejs" keeps crashing \(CrashLoopBackOff, exit code 1/m);
      expect(run.stderr).toMatch(/^Events:\n(?:.*\n)*?\s+Warning\s+BackOff\s+Pod\/crash-\S+\s+Back-off restarting failed container/m);
      expect(run.stderr).toMatch(/^Last log lines of crash-\S+, container nodejs.*:\n(?:.*\n)*?\s+FATAL: DATABASE_URL is not set$/m);
      // Without a terminal the progress comes as timestamped lines.
      expect(run.stderr).toMatch(/^\[\d\d:\d\d:\d\d\] crash: desired 1 · updated 1 · ready 0 · available 0$/m);
      expect(elapsed).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
    },
    TIMEOUT,
  );

  test(
    'a container that never becomes ready',
    () => {
      const {run, elapsed} = createFailing('unready', SIMULATED_IMAGES.neverReady);
      expect(run.status).toBe(8);
      expect(run.stderr).toMatch(/container "nodejs" is running but never became ready/);
      expect(elapsed).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
    },
    TIMEOUT,
  );

  test(
    'times out with its own exit code, saying what it was still waiting for',
    () => {
      const run = gshift(ns, ['app', 'create', 'late', '--stack', 'nodejs', '--image', SIMULATED_IMAGES.neverReady, '--timeout', '5s', '-n', ns.name]);
      expect(run.status).toBe(9);
      expect(run.stderr).toMatch(/^Error: Timed out after 5s waiting for (updated replicas to become available \(0 of 1 are\): pod late-\S+ has container "nodejs" running but not ready|updated replicas \(0 of 1 so far\))/m);
      expect(run.stderr).toMatch(/--timeout/);
    },
    TIMEOUT,
  );

  test(
    'reports the diagnosis in the --json error envelope, stdout still parseable',
    () => {
      const run = gshift(ns, ['app', 'create', 'crash-json', '--stack', 'nodejs', '--image', SIMULATED_IMAGES.crashLoop, '-n', ns.name, '--json']);
      expect(run.status).toBe(8);
      const json = envelope(run);
      expect(json.ok).toBe(false);
      expect(json.error).toMatchObject({code: 'ROLLOUT_FAILED'});
      expect(JSON.stringify(json.error)).toMatch(/CrashLoopBackOff/);
    },
    TIMEOUT,
  );
});

describe('app create in a namespace that enforces Pod Security "restricted"', () => {
  let restricted: TestNamespace;
  let teamDir: string;

  beforeAll(async () => {
    restricted = await newNamespace('app-psa', {labels: {'pod-security.kubernetes.io/enforce': 'restricted'}});
    // A team's own stack that tunes a kernel setting: the built-in stacks all comply, and gshift
    // does not police sysctls, so the cluster's admission is what refuses the pods.
    teamDir = mkdtempSync(join(tmpdir(), 'gshift-team-'));
    mkdirSync(join(teamDir, 'stacks', 'tuned'), {recursive: true});
    const template = readFileSync(join(repoRoot, 'templates', 'nodejs', 'template.yaml'), 'utf8')
      .replace(/^ {2}name: nodejs$/m, '  name: tuned')
      .replace(/^( {8})securityContext:\n/m, '$1securityContext:\n$1  sysctls:\n$1  - name: net.core.somaxconn\n$1    value: "1024"\n');
    expect(template).toMatch(/net\.core\.somaxconn/);
    writeFileSync(join(teamDir, 'stacks', 'tuned', 'template.yaml'), template);
    writeFileSync(join(teamDir, 'gshift.config.yaml'), 'templateDirs: [stacks]\n');
    mkdirSync(join(teamDir, '.git'));
  }, TIMEOUT);

  test(
    'names the Pod Security rejection as the cause',
    () => {
      const started = Date.now();
      const run = gshift(restricted, ['app', 'create', 'tuned', '--stack', 'tuned', '--timeout', WAIT_TIMEOUT, '-n', restricted.name], {cwd: teamDir});
      expect(run.status).toBe(8);
      expect(run.stderr).toMatch(/Pod Security "restricted:latest": forbidden sysctls \(net\.core\.somaxconn\)/);
      expect(run.stderr.split('\n').find((line) => line.startsWith('Error:'))).toMatch(/Pod Security/);
      expect(Date.now() - started).toBeLessThan(WELL_BEFORE_TIMEOUT_MS);
    },
    TIMEOUT,
  );
});

describe('Ctrl-C while waiting', () => {
  test(
    'stops waiting with exit 130, says what was applied, and a re-run converges',
    async () => {
      const run = startGshift(ns, ['app', 'create', 'slow', '--stack', 'nodejs', '--image', SIMULATED_IMAGES.neverReady, '-n', ns.name]);
      const deadline = Date.now() + 20_000;
      while (!/Created app slow/.test(run.output().stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      run.child.kill('SIGINT');
      const result = await run.exited;
      expect(result.status).toBe(130);
      expect(result.stderr).toMatch(/Interrupted: applied 3 objects \(Service, Deployment, Route\) to app-failures-\w+; the rollout of slow was still in progress/);
      expect(result.stderr).toMatch(/run the same command again/);

      const again = gshift(ns, ['app', 'create', 'slow', '--stack', 'nodejs', '--image', SIMULATED_IMAGES.neverReady, '--no-wait', '-n', ns.name]);
      expect(again.stdout.trim()).toBe('No changes: app slow is up to date.');
      expect(output(again)).not.toMatch(/Error/);
    },
    TIMEOUT,
  );
});
