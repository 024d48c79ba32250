// An outside linter agrees with our standards: kube-score, at the version pinned in
// test/cluster/tools.ts, finds nothing CRITICAL in any built-in stack as rendered for dev and prod
// on both platforms — an app stack as `app create` renders it, a database stack as `db create`
// does (the only command that makes databases) — except the checks docs/templates.md documents as
// deliberate (skipped by name, only where the table says). Each is scored together with the
// NetworkPolicies its tenant's namespace gets, because that is where its network isolation comes from.
import {spawnSync} from 'node:child_process';

import {beforeAll, describe, expect, test} from '@jest/globals';

import {DEFAULT_CONFIG} from '../../../src/config/schema.js';
import {newCredentials} from '../../../src/db/credentials.js';
import {ENGINES} from '../../../src/db/engines.js';
import {renderDatabase} from '../../../src/db/render.js';
import {listStackEntries} from '../../../src/render/catalogue.js';
import {renderAppDetailed} from '../../../src/render/compose.js';
import type {KubeObject} from '../../../src/render/template.js';
import {renderEnvironment} from '../../../src/tenant/render.js';
import {planCreate} from '../../../src/tenant/settings.js';
import {ensureTool} from '../../cluster/tools.ts';
import {documentedExceptions, exceptionsFor, type Platform} from './documented-exceptions.ts';

const STACKS = listStackEntries().map((entry) => entry.name);
const ENVIRONMENTS = ['dev', 'prod'];
const PLATFORMS: Platform[] = ['openshift', 'kubernetes'];
const cases = STACKS.flatMap((stack) => ENVIRONMENTS.flatMap((env) => PLATFORMS.map((platform) => [stack, env, platform] as const)));
const exceptions = documentedExceptions(STACKS);
const CRITICAL = 1;

let kubeScore: string;

beforeAll(() => {
  // A cold build compiles kube-score and its dependencies from the Go module proxy.
  kubeScore = ensureTool('kube-score');
}, 15 * 60_000);

/** The tenant environment's own NetworkPolicies, as `gshift tenant create` renders them. */
function tenantPolicies(env: string, platform: Platform): KubeObject[] {
  const plan = planCreate({name: 'shop', ciAccount: false, adopt: false, admins: ['shop-admins'], developers: ['shop-devs']}, {environments: [...ENVIRONMENTS], haEnvironments: DEFAULT_CONFIG.haEnvironments});
  const network = {platform, ingressNamespaceLabel: DEFAULT_CONFIG.ingressNamespaceLabel, monitoringNamespaceLabel: DEFAULT_CONFIG.monitoringNamespaceLabel};
  const objects = renderEnvironment({plan: plan.environments.find((entry) => entry.env === env)!, podSecurityVersion: 'v1.36', network});
  return objects.filter((object) => object.kind === 'NetworkPolicy');
}

/** The engine whose database stack this is; undefined for an app stack. */
const engineOf = (stack: string) => Object.values(ENGINES).find((engine) => engine.stack === stack);

/** What gshift applies for the stack: a database's objects from db create's render, an app's from app create's. */
async function rendered(stack: string, env: string, platform: Platform): Promise<KubeObject[]> {
  const where = {name: 'probe', env, platform, tenant: 'shop', namespace: `shop-${env}`, haEnvironments: DEFAULT_CONFIG.haEnvironments};
  const engine = engineOf(stack);
  if (engine) return renderDatabase({...where, engine, version: engine.versions[0]!, credentials: newCredentials(engine, 'probe')});
  return (await renderAppDetailed({...where, stack})).objects;
}

async function manifest(stack: string, env: string, platform: Platform, withTenant = true): Promise<string> {
  const objects = await rendered(stack, env, platform);
  const items = [...objects, ...(withTenant ? tenantPolicies(env, platform) : [])];
  expect(items.filter((item) => item.kind === 'NetworkPolicy').every((item) => item.metadata.namespace === `shop-${env}`)).toBe(true);
  return JSON.stringify({apiVersion: 'v1', kind: 'List', items});
}

/** kube-score on one manifest; per-object `kube-score/ignore` annotations are not honoured. */
function score(input: string, args: string[]): string {
  const result = spawnSync(kubeScore, ['score', '--disable-ignore-checks-annotations', ...args, '-'], {input, encoding: 'utf8'});
  if (result.error) throw result.error;
  // Exit 1 means "found something critical"; anything else is kube-score failing.
  if (result.status !== 0 && result.status !== 1) throw new Error(`kube-score exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

interface ScoredObject {
  object_name: string;
  type_meta: {kind: string};
  checks: {check: {id: string}; grade: number; skipped: boolean}[];
}

/** The ids of the checks kube-score grades CRITICAL, with nothing skipped. */
function criticalChecks(input: string): Set<string> {
  const scored = JSON.parse(score(input, ['--output-format', 'json'])) as ScoredObject[];
  return new Set(scored.flatMap((object) => object.checks.filter((check) => !check.skipped && check.grade === CRITICAL).map((check) => check.check.id)));
}

describe('kube-score on every built-in stack', () => {
  test.each(cases)('%s in %s on %s: nothing critical but the documented exceptions', async (stack, env, platform) => {
    const ignored = exceptionsFor(exceptions, stack, platform).flatMap((exception) => ['--ignore-test', exception.check]);
    const output = score(await manifest(stack, env, platform), ['--output-format', 'ci', ...ignored]);
    expect(output).toContain(engineOf(stack) ? 'apps/v1/StatefulSet' : 'apps/v1/Deployment');
    expect(output.split('\n').filter((line) => line.startsWith('[CRITICAL]'))).toEqual([]);
  });

  test('every documented exception is still reported, in every render it covers', async () => {
    expect(exceptions.length).toBeGreaterThan(0);
    const unneeded: string[] = [];
    for (const [stack, env, platform] of cases) {
      const critical = criticalChecks(await manifest(stack, env, platform));
      for (const exception of exceptionsFor(exceptions, stack, platform)) {
        if (!critical.has(exception.check)) unneeded.push(`${exception.check} (${stack} in ${env} on ${platform})`);
      }
    }
    expect(unneeded).toEqual([]);
  });

  test('the tenant\'s NetworkPolicies are what satisfies pod-networkpolicy', async () => {
    expect(criticalChecks(await manifest('nodejs', 'prod', 'kubernetes', false))).toContain('pod-networkpolicy');
    expect(criticalChecks(await manifest('nodejs', 'prod', 'kubernetes'))).not.toContain('pod-networkpolicy');
  });
});
