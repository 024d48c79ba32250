// Render speed: every built-in stack for every environment, in process, and one `app create
// --dry-run` as a user runs it. Loaded by bench/run.ts; compiled code comes from dist/.
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

import {type BenchRow, gshift, median, nodeFloor, paired, repoRoot} from './measure.ts';

const ENVIRONMENTS = ['dev', 'test', 'acc', 'prod'];

interface RenderModules {
  renderApp: (input: Record<string, unknown>) => Promise<unknown[]>;
  listStackEntries: () => {name: string}[];
}

async function load(): Promise<RenderModules> {
  const dist = (file: string) => import(pathToFileURL(join(repoRoot, 'dist', 'render', file)).href);
  const [{renderApp}, {listStackEntries}] = await Promise.all([dist('compose.js'), dist('catalogue.js')]);
  return {renderApp, listStackEntries};
}

/** App renders per second over all stacks × environments × both platforms, templates already parsed. */
export async function renderThroughput(rounds: number): Promise<{perSecond: number; renders: number}> {
  const {renderApp, listStackEntries} = await load();
  const inputs = listStackEntries().flatMap(({name}, index) =>
    ENVIRONMENTS.map((env) => ({name: `app-${name}`, stack: name, env, tenant: 'bench', namespace: `bench-${env}`, platform: index % 2 ? 'kubernetes' : 'openshift', haEnvironments: ['acc', 'prod'], envVars: {LOG_LEVEL: 'info'}})),
  );
  for (const input of inputs) await renderApp(input); // parse and cache the templates first
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let repeat = 0; repeat < 25; repeat++) for (const input of inputs) await renderApp(input);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    samples.push((25 * inputs.length) / seconds);
  }
  return {perSecond: median(samples), renders: 25 * inputs.length};
}

export async function rows(runs: number): Promise<BenchRow[]> {
  const throughput = await renderThroughput(Math.max(5, Math.min(runs, 21)));
  const create = paired(gshift('app', 'create', 'demo', '--stack', 'nodejs', '--dry-run'), nodeFloor, runs);
  return [
    {name: `render apps (10 stacks × 4 envs, ${throughput.renders}/round)`, value: throughput.perSecond, unit: 'renders/s', target: '≥ 1000/s'},
    {name: 'gshift app create demo --stack nodejs --dry-run', value: create.subject, unit: 'ms', ratio: create.ratio, baseline: 'node -e 0', target: '≤ 250 ms'},
  ];
}
