import {describe, expect, it} from '@jest/globals';

import {GshiftError} from '../../../src/errors.ts';
import {LineProgress, verdictText} from '../../../src/ui/up-progress.ts';
import {upSummaryView} from '../../../src/ui/up-views.ts';
import type {Step} from '../../../src/up/plan.ts';
import type {StepReport} from '../../../src/up/steps.ts';
import {summarize} from '../../../src/up/summary.ts';
import type {UpResult} from '../../../src/up/up.ts';

const step = (env: string, kind: Step['kind'], name: string): Step => ({id: `${env}/${kind}/${name}`, kind, env, name, needs: []});
const report = (action: StepReport['action'], extra: Partial<StepReport> = {}): StepReport => ({action, namespace: 'shop-dev', objects: {created: [], configured: [], unchanged: []}, pruned: [], kept: [], warnings: [], ...extra});

const result: UpResult = {
  tenant: 'shop',
  file: 'gshift.yaml',
  plan: {tenant: 'shop', environments: [{name: 'dev', namespace: 'shop-dev', ha: false, apps: [], databases: [], certificates: [], at: []}], steps: []},
  outcomes: [
    {step: step('dev', 'environment', 'shop-dev'), status: 'done', result: report('unchanged')},
    {step: step('dev', 'database', 'orders'), status: 'failed', error: new GshiftError('ROLLOUT_FAILED', 'Container postgresql keeps crashing.')},
    {step: step('dev', 'app', 'web'), status: 'skipped', blockedBy: 'dev/database/orders'},
    {step: step('dev', 'app', 'static'), status: 'done', result: report('created', {url: 'http://static.example.org', rollout: {elapsedMs: 3200, ready: 1, desired: 1}})},
  ],
  pruned: [],
  prunable: [{kind: 'app', env: 'dev', namespace: 'shop-dev', name: 'old'}],
  ciAccount: true,
};

describe('what gshift up shows', () => {
  it('sums up each environment: what was created, failed and not run, the URLs, what --prune would remove, the CI kubeconfig', () => {
    const text = upSummaryView(summarize(result));
    expect(text).toContain('ENV   NAMESPACE   CREATED   UPDATED   UNCHANGED   PRUNED   FAILED   NOT RUN');
    expect(text).toContain('dev   shop-dev    static    -         1           -        orders   web');
    expect(text).toContain('  dev   static   http://static.example.org');
    expect(text).toContain('  dev/app/old');
    expect(text).toContain('  gshift tenant ci-kubeconfig shop --env dev > kubeconfig-dev');
  });

  it('prints a line per change of a step in CI, and the verdict with how long the rollout took', () => {
    const lines: string[] = [];
    const progress = new LineProgress((text) => lines.push(text));
    const web = step('dev', 'app', 'web');
    progress.phase(web, 'applying');
    progress.rollout(web, {deployment: 'web', desired: 2, updated: 1, ready: 1, available: 1, observed: true, pods: []});
    progress.rollout(web, {deployment: 'web', desired: 2, updated: 2, ready: 1, available: 1, observed: true, pods: []});
    progress.finished({step: web, status: 'done', result: report('created', {rollout: {elapsedMs: 4100, ready: 2, desired: 2}})});
    expect(lines).toEqual(['dev/app/web: applying', 'dev/app/web: rolling out: 1/2 ready', '✓ dev/app/web: created, rolled out in 4s']);
    expect(verdictText({step: web, status: 'skipped', blockedBy: 'dev/database/orders'})).toBe('not run: dev/database/orders failed');
  });
});
