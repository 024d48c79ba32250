// `npm run bench -- up`: sprint zero of one tenant — 4 environments × (5 apps + 2 databases) —
// until every rollout is complete, by `gshift up` and by what a sprint-zero script does with
// the same rendered manifests: `kubectl apply -f` per environment, then `kubectl rollout
// status` for each Deployment and StatefulSet, one after the other. Both on the test cluster in
// the same run; the API requests of each are counted from the API server's audit log (by user
// agent). Then the second `gshift up` (nothing to change): its time, and its writes (none).
import {spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {WRITE_VERBS, auditEventsSince, auditMark} from '../test/cluster/audit.ts';
import {startCluster, stopCluster} from '../test/cluster/cluster.ts';
import {ensureDatabaseServers} from '../test/cluster/databases/control.ts';
import {type BenchRow, findKubectl, gshift, median} from './measure.ts';

const ENVS = ['dev', 'test', 'acc', 'prod'];
/** The config's default high-availability environments: apps there run at least 2 replicas. */
const HA_ENVS = ['acc', 'prod'];
const APPS = [
  {name: 'web', stack: 'nodejs', databases: ['orders', 'cache']},
  {name: 'api', stack: 'java', databases: ['orders']},
  {name: 'worker', stack: 'python', databases: []},
  {name: 'static', stack: 'nginx', databases: []},
  {name: 'docs', stack: 'httpd', databases: []},
];
const DATABASES = [
  {name: 'orders', engine: 'postgresql'},
  {name: 'cache', engine: 'redis'},
];
const QUOTA = 'cpu=16,memory=32Gi,pods=60';

function tenantFile(tenant: string): string {
  const apps = APPS.map((app) => `    - name: ${app.name}\n      stack: ${app.stack}\n${app.databases.length > 0 ? `      databases: [${app.databases.join(', ')}]\n` : ''}`).join('');
  const databases = DATABASES.map((database) => `    - name: ${database.name}\n      engine: ${database.engine}\n`).join('');
  return `apiVersion: gshift.io/v1alpha1\nkind: Tenant\nmetadata:\n  name: ${tenant}\nspec:\n  quota: ${QUOTA}\n  environments:\n${ENVS.map((env) => `    - name: ${env}\n`).join('')}  apps:\n${apps}  databases:\n${databases}`;
}

const seconds = (ms: number) => ms / 1000;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): {ms: number; stdout: string} {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {env, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-3000)}`);
  return {ms, stdout: result.stdout};
}

/** The manifests gshift renders for one environment, as a sprint-zero script would keep them: tenant, databases, apps. */
function renderedEnvironment(tenant: string, env: string, environment: NodeJS.ProcessEnv): {yaml: string; objects: number; workloads: string[]} {
  const render = (...args: string[]) => {
    const run = gshift(...args, '--dry-run', '-o', 'json');
    return (JSON.parse(timed(run.command, run.args, environment).stdout) as {items: unknown[]}).items;
  };
  const items = [
    ...render('tenant', 'create', tenant, '--envs', env, '--quota', QUOTA),
    ...DATABASES.flatMap((database) => render('db', 'create', database.name, '--engine', database.engine, '--tenant', tenant, '--env', env, '--reveal')),
    ...APPS.flatMap((app) => render('app', 'create', app.name, '--stack', app.stack, '--tenant', tenant, '--env', env, '--reveal')),
  ];
  const workloads = [...DATABASES.map((database) => `statefulset/${database.name}`), ...APPS.map((app) => `deployment/${app.name}`)];
  return {yaml: JSON.stringify({apiVersion: 'v1', kind: 'List', items}), objects: items.length, workloads};
}

export async function rows(): Promise<BenchRow[]> {
  const kubectl = findKubectl();
  if (!kubectl) return [{name: 'up rows', value: Number.NaN, unit: '(control plane not built: npm run cluster:build)'}];
  const info = startCluster('openshift');
  // A database's pod is ready once its real server has its user and database (test/cluster/databases/).
  await ensureDatabaseServers(info.kubeconfig);
  const dir = mkdtempSync(join(tmpdir(), 'gshift-bench-up-'));
  const env = {...process.env, KUBECONFIG: info.kubeconfig, CI: '1', NO_COLOR: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: '', XDG_CONFIG_HOME: dir, GSHIFT_CONFIG: ''};
  const tenants: string[] = [];
  const pairs = Number(process.env.BENCH_UP_RUNS ?? 1);
  const results: {gshift: number; kubectl: number; kubectlHa: number; second: number; secondWrites: number; gshiftRequests: number; gshiftObjects: number; kubectlRequests: number; kubectlObjects: number}[] = [];
  try {
    for (let pair = 0; pair < pairs; pair++) {
      const suffix = randomBytes(2).toString('hex');
      const ours = `bench-g${suffix}`;
      const theirs = `bench-k${suffix}`;
      tenants.push(ours, theirs);

      // The kubectl script, with manifests rendered beforehand (not timed).
      const manifests = ENVS.map((name) => ({name, ...renderedEnvironment(theirs, name, env)}));
      let mark = auditMark();
      let kubectlMs = 0;
      for (const environment of manifests) {
        const file = join(dir, `${theirs}-${environment.name}.json`);
        writeFileSync(file, environment.yaml);
        kubectlMs += timed(kubectl, ['apply', '-f', file], env).ms;
        for (const workload of environment.workloads) kubectlMs += timed(kubectl, ['rollout', 'status', workload, '-n', `${theirs}-${environment.name}`, '--timeout=600s'], env).ms;
      }
      const kubectlRequests = auditEventsSince(mark).filter((event) => event.userAgent?.startsWith('kubectl')).length;
      // Where gshift up ends, high-availability apps run their autoscaler's minimum (2); after
      // rollout status, the script's run 1 until the autoscaler's next sync raises them.
      let haMs = 0;
      for (const name of HA_ENVS) {
        for (const app of APPS) haMs += timed(kubectl, ['wait', `deployment/${app.name}`, '-n', `${theirs}-${name}`, '--for=jsonpath={.status.availableReplicas}=2', '--timeout=600s'], env).ms;
      }

      writeFileSync(join(dir, 'gshift.yaml'), tenantFile(ours));
      const up = gshift('up', '--timeout', '10m', '--json');
      mark = auditMark();
      const first = timed(up.command, up.args, env, dir);
      const gshiftRequests = auditEventsSince(mark).filter((event) => event.userAgent?.startsWith('gshift')).length;
      const summary = JSON.parse(first.stdout).result as {environments: {steps: {objects?: {created: string[]; configured: string[]; unchanged: string[]}}[]}[]};
      const gshiftObjects = summary.environments.flatMap((environment) => environment.steps).reduce((total, step) => total + (step.objects ? step.objects.created.length + step.objects.configured.length + step.objects.unchanged.length : 0), 0);

      mark = auditMark();
      const second = timed(up.command, up.args, env, dir);
      const secondWrites = auditEventsSince(mark).filter((event) => event.userAgent?.startsWith('gshift') && WRITE_VERBS.has(event.verb) && !event.requestURI.includes('dryRun=All')).length;
      results.push({
        gshift: first.ms,
        kubectl: kubectlMs,
        kubectlHa: kubectlMs + haMs,
        second: second.ms,
        secondWrites,
        gshiftRequests,
        gshiftObjects,
        kubectlRequests,
        kubectlObjects: manifests.reduce((total, environment) => total + environment.objects, 0),
      });
    }
  } finally {
    for (const tenant of tenants) {
      const run = gshift('tenant', 'delete', tenant, '--yes', '--no-wait');
      spawnSync(run.command, run.args, {env});
      for (const name of ENVS) spawnSync(kubectl, ['delete', 'namespace', `${tenant}-${name}`, '--wait=false', '--ignore-not-found'], {env});
    }
    rmSync(dir, {recursive: true, force: true});
    if (!info.reused) stopCluster('openshift');
  }
  const of = (pick: (result: (typeof results)[number]) => number) => median(results.map(pick));
  const ratio = of((result) => result.gshift / result.kubectl);
  return [
    {name: 'gshift up: 4 envs × (5 apps + 2 dbs), rollouts done', value: seconds(of((result) => result.gshift)), unit: 's', ratio, baseline: 'kubectl apply + rollout status, sequential', target: '≤ 0.5×'},
    {name: 'kubectl apply -f + rollout status ×28 (reference)', value: seconds(of((result) => result.kubectl)), unit: 's'},
    {name: 'gshift up, vs kubectl until HA apps run 2 replicas too', value: seconds(of((result) => result.gshift)), unit: 's', ratio: of((result) => result.gshift / result.kubectlHa), baseline: 'kubectl + wait for the autoscalers\' minimum'},
    {name: 'kubectl … + wait for 2 available in acc and prod (reference)', value: seconds(of((result) => result.kubectlHa)), unit: 's'},
    {name: 'gshift up: API requests per object', value: of((result) => result.gshiftRequests / result.gshiftObjects), unit: `req (${of((result) => result.gshiftRequests)} for ${of((result) => result.gshiftObjects)})`, ratio: of((result) => result.gshiftRequests / result.gshiftObjects / (result.kubectlRequests / result.kubectlObjects)), baseline: 'kubectl'},
    {name: 'kubectl: API requests per object (reference)', value: of((result) => result.kubectlRequests / result.kubectlObjects), unit: `req (${of((result) => result.kubectlRequests)} for ${of((result) => result.kubectlObjects)})`},
    {name: 'second gshift up (nothing to change)', value: seconds(of((result) => result.second)), unit: 's', target: '≤ 2 s'},
    {name: 'second gshift up: writes', value: of((result) => result.secondWrites), unit: 'requests', target: '0'},
  ];
}
