// Databases have one code path: `app create --stack <a database stack>` is refused (exit 2) before
// anything renders or connects, and the hint is the exact `gshift db create` command that does
// what was asked, ready to copy. The kubeconfig here does not exist, so a command that tried to
// connect would fail otherwise.
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';

import {equivalentDbCreate} from '../../../src/app/database-stack.js';
import {ENGINES} from '../../../src/db/engines.js';
import {findStack, listStackEntries, loadStackEntry} from '../../../src/render/catalogue.js';
import {runCli} from '../../support/cli.ts';

const NO_CLUSTER = {KUBECONFIG: '/nonexistent/kubeconfig', CI: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: ''};
const run = (args: string[], cwd?: string) => runCli(args, {env: NO_CLUSTER, ...(cwd ? {cwd} : {})});
/** The catalogue's database stacks, as their descriptors mark them (kind: db). */
const databaseStacks = async () => (await Promise.all(listStackEntries().map((entry) => loadStackEntry(entry)))).filter((stack) => stack.descriptor.kind === 'db').map((stack) => stack.name);

describe('app create with a database stack', () => {
  it('covers every database stack of the catalogue, each one an engine of gshift db', async () => {
    expect(await databaseStacks()).toEqual(Object.values(ENGINES).map((engine) => engine.stack).sort());
  });

  it.each(Object.values(ENGINES).map((engine) => engine.stack))('--stack %s: exit 2 before connecting, pointing to gshift db create with the same name, target and size', (stack) => {
    const refused = run(['app', 'create', 'orders', '--stack', stack, '--tenant', 'shop', '--env', 'dev', '--storage', '5Gi']);
    expect(refused).toEqual({
      status: 2,
      stdout: '',
      stderr: `Error: Stack ${stack} is a database, and databases are created with gshift db create.\nTry: run gshift db create orders --engine ${stack} --size 5Gi --tenant shop --env dev instead.\n`,
    });
  });

  it('refuses a --dry-run too, printing no manifest, and carries the dry run and its output flags over', () => {
    const refused = run(['app', 'create', 'orders', '--stack', 'postgresql', '-n', 'shop-dev', '--dry-run', '-o', 'json', '--reveal']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('Try: run gshift db create orders --engine postgresql -n shop-dev --dry-run -o json --reveal instead.\n');
  });

  it('puts the hint and the exact command in the --json error envelope', () => {
    const refused = run(['app', 'create', 'cache', '--stack', 'redis', '-n', 'shop-dev', '--param', 'VOLUME_CAPACITY=3Gi', '--dry-run=server', '--json']);
    expect(refused.status).toBe(2);
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      command: 'app create',
      error: {
        code: 'USAGE',
        exitCode: 2,
        message: 'Stack redis is a database, and databases are created with gshift db create.',
        hint: 'run gshift db create cache --engine redis --size 3Gi -n shop-dev --dry-run=server --json instead.',
        details: {
          stack: 'redis',
          engine: 'redis',
          command: 'gshift db create cache --engine redis --size 3Gi -n shop-dev --dry-run=server --json',
          args: ['db', 'create', 'cache', '--engine', 'redis', '--size', '3Gi', '-n', 'shop-dev', '--dry-run=server', '--json'],
        },
      },
      warnings: [],
    });
  });

  it('the command it suggests does what was asked: the database, its size and its version', () => {
    const refused = run(['app', 'create', 'orders', '--stack', 'postgresql', '--image', 'registry.redhat.io/rhel9/postgresql-15:9.7', '--storage', '5Gi', '-n', 'shop-dev', '--dry-run', '-o', 'json', '--json']);
    const {args} = JSON.parse(refused.stdout).error.details;
    expect(args).toEqual(['db', 'create', 'orders', '--engine', 'postgresql', '--version', '15', '--size', '5Gi', '-n', 'shop-dev', '--dry-run', '-o', 'json', '--json']);
    const created = run(args);
    expect(created.status).toBe(0);
    const items = JSON.parse(created.stdout).result.list.items as any[];
    const set = items.find((item) => item.kind === 'StatefulSet');
    expect(set.metadata).toMatchObject({name: 'orders', namespace: 'shop-dev'});
    expect(set.spec.template.spec.containers[0].image).toBe('registry.redhat.io/rhel9/postgresql-15:9.7');
    expect(set.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
  });

  it('takes the version from a *_VERSION parameter, as the OpenShift sample templates name it, and says which flags have no equivalent', () => {
    const refused = run(['app', 'create', 'shop-db', '--stack', 'mariadb', '--param', 'MARIADB_VERSION=10.5', '--param', 'DATABASE_NAME=shop', '--port', '3307', '--env-var', 'TZ=UTC', '--image', 'quay.io/team/mariadb:1']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Try: run gshift db create shop-db --engine mariadb --version 10.5 instead (--param, --image, --port, --env-var have no equivalent there).\n');
  });

  it("refuses a team's own database stack that no engine runs, naming the engines and the way out", () => {
    const project = mkdtempSync(join(tmpdir(), 'gshift-team-db-'));
    mkdirSync(join(project, '.git'));
    mkdirSync(join(project, 'stacks', 'mongodb'), {recursive: true});
    writeFileSync(join(project, 'gshift.config.yaml'), 'templateDirs: [stacks]\n');
    writeFileSync(join(project, 'stacks', 'mongodb', 'stack.yaml'), 'name: mongodb\nkind: db\ndescription: MongoDB.\n');
    writeFileSync(join(project, 'stacks', 'mongodb', 'template.yaml'), 'apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: mongodb}\nobjects: []\n');
    expect(run(['app', 'create', 'docs', '--stack', 'mongodb', '--dry-run'], project)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'Error: Stack mongodb is a database stack, and databases are created with gshift db create, whose engines are postgresql, mariadb, mysql, redis.\n' +
        'Try: run gshift db create docs --engine ENGINE with one of them, or make mongodb an app stack (kind: app in its stack.yaml).\n',
    });
  });

  it('leaves template show and template process of a database stack as they are: templates are data', () => {
    expect(run(['template', 'show', 'postgresql']).status).toBe(0);
    const processed = run(['template', 'process', 'postgresql', '-p', 'NAME=orders']);
    expect(processed.status).toBe(0);
    expect(processed.stdout).toMatch(/kind: Deployment/);
  });
});

describe('the equivalent db create', () => {
  it('keeps --no-wait and a --timeout other than the default, and quotes what a shell would split', async () => {
    const stack = await findStack('postgresql');
    const {args} = equivalentDbCreate({name: 'orders', stack: 'postgresql', wait: false, timeout: 90_000, tenant: "o'neil shop"}, stack, ENGINES.postgresql);
    expect(args).toEqual(['db', 'create', 'orders', '--engine', 'postgresql', '--tenant', "o'neil shop", '--no-wait', '--timeout', '90s']);
    expect(equivalentDbCreate({name: 'orders', stack: 'postgresql', timeout: 300_000}, stack, ENGINES.postgresql).args).toEqual(['db', 'create', 'orders', '--engine', 'postgresql']);
  });

  it('prints the quoted form in the hint', () => {
    const refused = run(['app', 'create', 'orders', '--stack', 'postgresql', '--tenant', "o'neil shop"]);
    expect(refused.stderr).toContain(`Try: run gshift db create orders --engine postgresql --tenant 'o'\\''neil shop' instead.`);
  });
});
