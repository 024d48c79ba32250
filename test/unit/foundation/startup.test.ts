// Start-up stays fast because heavy modules load only on the code path that needs them: the
// Kubernetes client, YAML, prompts, spinners, colours, cosmiconfig, the template engine. A
// module hook records every module the CLI loads, so a stray top-level import fails here. (A load
// hook: bin/run.js answers the bundle's own imports with a resolve hook of its own, which runs
// first and ends the chain, so a resolve hook here would see only what lies outside the bundle.)
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, test} from '@jest/globals';

import {repoRoot} from '../../support/cli.ts';

const HOOK = `
import {registerHooks} from 'node:module';
import {appendFileSync} from 'node:fs';
registerHooks({load(url, context, next) {
  appendFileSync(process.env.GSHIFT_TEST_MODULE_TRACE, url + '\\n');
  return next(url, context);
}});`;

/** The modules `gshift <args>` loads: gshift's own relative to the repository ("dist/…"), dependencies from their node_modules ("node_modules/…"). */
function modulesLoadedBy(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot, status = 0): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gshift-trace-'));
  const trace = join(dir, 'modules.txt');
  try {
    const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(HOOK)}`, join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd,
      env: {...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: join(dir, 'config'), KUBECONFIG: join(dir, 'no-kubeconfig'), ...env, GSHIFT_TEST_MODULE_TRACE: trace},
      encoding: 'utf8',
      input: '',
    });
    expect(run.status).toBe(status);
    // node_modules may be a symbolic link elsewhere: a dependency is named from its last node_modules/.
    const files = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))].map((url) => url.replace(/^.*\/(node_modules\/)/, '$1').replace(`file://${repoRoot}`, '').replace(/^\//, ''));
    // A file of the bundle stands for the modules the build put in it (scripts/bundle.ts).
    const bundle = JSON.parse(readFileSync(join(repoRoot, 'dist', 'bundle', 'meta.json'), 'utf8')) as Record<string, string[]>;
    return files.flatMap((file) => bundle[file] ?? [file]);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

const HEAVY = ['node_modules/@kubernetes/client-node/', 'node_modules/yaml/', 'node_modules/@inquirer/', 'node_modules/ora/', 'node_modules/chalk/', 'node_modules/cosmiconfig/'];
// The build groups small modules that only declare things into shared files (scripts/bundle.ts),
// so a few of the cluster module's declarations may ride along with a render; what connects never does.
const CONNECTION = ['dist/cluster/session.js', 'dist/cluster/wire.js', 'dist/cluster/http2-wire.js', 'dist/cluster/kubeconfig.js'];
const loadedOf = (modules: string[], prefixes: string[]) => prefixes.filter((prefix) => modules.some((module) => module.startsWith(prefix)));

/** Whether String.prototype.localeCompare is the native one again when `gshift <args>` ends. */
function localeCompareRestoredAfter(args: string[]): boolean {
  const probe = `const native = String.prototype.localeCompare; process.on('exit', () => process.stderr.write('native:' + (String.prototype.localeCompare === native) + '\\n'));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(probe)}`, join(repoRoot, 'bin', 'run.js'), ...args], {env: {...process.env, NO_COLOR: '1'}, encoding: 'utf8', input: ''});
  return run.stderr.includes('native:true');
}

describe('start-up without ICU collation', () => {
  test.each(['--version', 'help', 'template list'])('oclif borrows a code-point localeCompare while it loads, and gshift %s runs with the real one', (args) => {
    expect(localeCompareRestoredAfter(args.split(' '))).toBe(true);
  });
});

describe('start-up laziness', () => {
  test('the hook sees what a command loads, so the checks below can fail', () => {
    const modules = modulesLoadedBy(['template', 'process', 'redis', '-o', 'json'], {GSHIFT_NO_CACHE: '1'});
    expect(loadedOf(modules, ['node_modules/yaml/', 'dist/render/'])).toEqual(['node_modules/yaml/', 'dist/render/']);
  });

  test('a cluster command with a token or certificate kubeconfig never loads @kubernetes/client-node; an exec plugin does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gshift-kubeconfig-'));
    const kubeconfig = (user: string) => {
      const file = join(dir, `${user.slice(0, 5)}.yaml`);
      writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
      return file;
    };
    try {
      const token = modulesLoadedBy(['status'], {KUBECONFIG: kubeconfig('{token: abc}')}, repoRoot, 3);
      expect(loadedOf(token, ['dist/cluster/', 'node_modules/@kubernetes/client-node/'])).toEqual(['dist/cluster/']);
      expect(loadedOf(token, CONNECTION)).toEqual(CONNECTION);
      const plugin = modulesLoadedBy(['status'], {KUBECONFIG: kubeconfig('{exec: {apiVersion: client.authentication.k8s.io/v1, command: gshift-no-such-plugin}}')}, repoRoot, 4);
      expect(loadedOf(plugin, ['node_modules/@kubernetes/client-node/'])).toEqual(['node_modules/@kubernetes/client-node/']);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  test('cosmiconfig loads only when there is a config file to read', () => {
    const project = mkdtempSync(join(tmpdir(), 'gshift-project-'));
    try {
      mkdirSync(join(project, '.git'));
      const bare = modulesLoadedBy(['config', 'show'], {}, project);
      expect(loadedOf(bare, ['node_modules/cosmiconfig/'])).toEqual([]);
      writeFileSync(join(project, 'gshift.config.yaml'), 'tenant: shop\n');
      const configured = modulesLoadedBy(['config', 'show'], {}, project);
      expect(loadedOf(configured, ['node_modules/cosmiconfig/'])).toEqual(['node_modules/cosmiconfig/']);
    } finally {
      rmSync(project, {recursive: true, force: true});
    }
  });

  test.each(['--version', '--help', 'app --help', 'template process --help'])('gshift %s loads no heavy module and none of gshift\'s services', (args) => {
    const modules = modulesLoadedBy(args.split(' '));
    expect(loadedOf(modules, [...HEAVY, 'dist/render/', 'dist/cluster/', 'dist/config/', 'dist/app/', 'dist/tenant/', 'dist/rollout/'])).toEqual([]);
  });

  test('app create --dry-run never loads the Kubernetes client, a connection, prompts or spinners, and with a warm parse cache no YAML parser', () => {
    const cache = mkdtempSync(join(tmpdir(), 'gshift-parse-cache-'));
    try {
      const args = ['app', 'create', 'demo', '--stack', 'nodejs', '--dry-run'];
      const cold = modulesLoadedBy(args, {GSHIFT_CACHE_DIR: cache});
      expect(loadedOf(cold, ['node_modules/@kubernetes/client-node/', 'node_modules/@inquirer/', 'node_modules/ora/', ...CONNECTION])).toEqual([]);
      const warm = modulesLoadedBy(args, {GSHIFT_CACHE_DIR: cache});
      expect(loadedOf(warm, ['node_modules/@kubernetes/client-node/', 'node_modules/@inquirer/', 'node_modules/ora/', ...CONNECTION, 'node_modules/yaml/'])).toEqual([]);
    } finally {
      rmSync(cache, {recursive: true, force: true});
    }
  });
});
