// Apps with persistent storage on the real test cluster, whose default StorageClass provisions a
// volume for every claim (test/cluster/README.md, "Persistent volumes"): --storage and a team
// stack whose template claims its own volume roll out with their claim Bound, and `app delete`
// keeps the claim (and its volume, and the Secret beside it) unless --purge-data. Databases keep
// theirs through gshift db (db-engines.test.ts).
import {beforeAll, describe, expect, test} from '@jest/globals';

import {TEAM_PROJECT} from '../support/team-project.ts';
import {envelope, gshift, output, type CliResult} from './app-cli.ts';
import {kubectlJson, kubectlResult, newNamespace, waitUntil, type TestNamespace} from './support/index.ts';

const TIMEOUT = 90_000;
let ns: TestNamespace;
const app = (...args: string[]) => gshift(ns, ['app', ...args, '-n', ns.name]);
/** The same in a team's project whose own stacks include wiki: a generated admin password in a Secret, the pages on the template's own claim. */
const teamApp = (...args: string[]) => gshift(ns, ['app', ...args, '-n', ns.name], {cwd: TEAM_PROJECT});
// Well inside the test's time: a claim left Pending fails the rollout with gshift's diagnosis.
const WAIT = ['--timeout', '45s'];
const claim = (name: string) => kubectlJson(['get', 'persistentvolumeclaim', name], {namespace: ns.name});
const claimExists = async (name: string) => (await kubectlResult(['get', 'persistentvolumeclaim', name], {namespace: ns.name})).code === 0;
/** Exit 0, or a failure message that shows what gshift printed. */
const expectSuccess = (run: CliResult) => expect(run.status === 0 ? 0 : output(run)).toBe(0);
const volumeExists = async (name: string) => (await kubectlResult(['get', 'persistentvolume', name])).code === 0;

beforeAll(async () => {
  ns = await newNamespace('app-storage');
}, TIMEOUT);

describe('apps with persistent storage', () => {
  test(
    'creates an app with --storage: the claim is Bound to a volume of its size and the rollout finishes',
    async () => {
      const run = app('create', 'data', '--stack', 'nodejs', '--storage', '1Gi', ...WAIT, '--json');
      expectSuccess(run);
      expect(envelope(run).result.rollout[0].progress).toMatchObject({desired: 1, available: 1});

      const pvc = await claim('data-data');
      expect(pvc.status.phase).toBe('Bound');
      expect(pvc.status.capacity.storage).toBe('1Gi');
      expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
      const volume = await kubectlJson(['get', 'persistentvolume', pvc.spec.volumeName]);
      expect(volume.spec.claimRef).toMatchObject({namespace: ns.name, name: 'data-data'});
      const deployment = await kubectlJson(['get', 'deployment', 'data'], {namespace: ns.name});
      expect(deployment.spec.template.spec.volumes).toContainEqual({name: 'data', persistentVolumeClaim: {claimName: 'data-data'}});
      expect(deployment.spec.template.spec.containers[0].volumeMounts).toContainEqual({name: 'data', mountPath: '/opt/app-root/data'});
      expect(deployment.status.availableReplicas).toBe(1);
    },
    TIMEOUT,
  );

  test(
    'creates an app whose template claims its own volume, sized by --storage, and it rolls out',
    async () => {
      const run = teamApp('create', 'docs', '--stack', 'wiki', '--storage', '2Gi', ...WAIT);
      expectSuccess(run);
      expect(run.stderr).toMatch(/Rolled out docs/);
      const pvc = await claim('docs-pages');
      expect(pvc.status.phase).toBe('Bound');
      expect(pvc.status.capacity.storage).toBe('2Gi');
      expect((await kubectlJson(['get', 'deployment', 'docs'], {namespace: ns.name})).status.availableReplicas).toBe(1);
    },
    TIMEOUT,
  );

  test(
    'keeps the claim and its volume on delete, and the app created again gets the same claim back',
    async () => {
      const before = await claim('data-data');
      const run = app('delete', 'data', '--yes');
      expectSuccess(run);
      expect(run.stdout).toMatch(/Kept PersistentVolumeClaim\/data-data \(data\); --purge-data removes them\./);
      expect((await kubectlResult(['get', 'deployment', 'data'], {namespace: ns.name})).code).not.toBe(0);
      const kept = await claim('data-data');
      expect(kept.metadata.uid).toBe(before.metadata.uid);
      expect(kept.status.phase).toBe('Bound');
      expect(await volumeExists(before.spec.volumeName)).toBe(true);

      const again = app('create', 'data', '--stack', 'nodejs', '--storage', '1Gi', ...WAIT);
      expectSuccess(again);
      const reused = await claim('data-data');
      expect(reused.metadata.uid).toBe(before.metadata.uid);
      expect(reused.spec.volumeName).toBe(before.spec.volumeName);
    },
    TIMEOUT,
  );

  test(
    'keeps the generated credentials with the data, so the app created again has the password its data was set up with',
    async () => {
      const password = async () => Buffer.from((await kubectlJson(['get', 'secret', 'kb'], {namespace: ns.name})).data['admin-password'], 'base64').toString();
      expectSuccess(teamApp('create', 'kb', '--stack', 'wiki', ...WAIT));
      const first = await password();

      const deleted = teamApp('delete', 'kb', '--yes');
      expectSuccess(deleted);
      expect(deleted.stdout).toMatch(/Kept .*PersistentVolumeClaim\/kb-pages.*Secret\/kb|Kept .*Secret\/kb.*PersistentVolumeClaim\/kb-pages/);
      expect(deleted.stdout).not.toContain(first);

      expectSuccess(teamApp('create', 'kb', '--stack', 'wiki', ...WAIT));
      expect(await password()).toBe(first);

      expectSuccess(teamApp('delete', 'kb', '--yes', '--purge-data'));
      expect((await kubectlResult(['get', 'secret', 'kb'], {namespace: ns.name})).code).not.toBe(0);
      await waitUntil(async () => !(await claimExists('kb-pages')), {timeoutMs: 30_000, description: 'claim kb-pages to go'});
    },
    TIMEOUT,
  );

  test(
    'removes the claim, and with it the volume, on delete --purge-data',
    async () => {
      const {volumeName} = (await claim('docs-pages')).spec;
      const run = teamApp('delete', 'docs', '--yes', '--purge-data');
      expectSuccess(run);
      expect(run.stdout).toMatch(/PersistentVolumeClaim\/docs-pages/);
      // The claim goes once no pod uses it (kubernetes.io/pvc-protection), the volume after it.
      await waitUntil(async () => !(await claimExists('docs-pages')), {timeoutMs: 30_000, description: 'claim docs-pages to go'});
      await waitUntil(async () => !(await volumeExists(volumeName)), {timeoutMs: 30_000, description: `volume ${volumeName} to go`});
    },
    TIMEOUT,
  );

  test(
    'purges a claim that an earlier delete kept, as that delete’s message says',
    async () => {
      expect(app('delete', 'data', '--yes').status).toBe(0);
      expect(await claimExists('data-data')).toBe(true);

      const run = app('delete', 'data', '--yes', '--purge-data');
      expectSuccess(run);
      expect(run.stdout).toMatch(/Deleted app data from \S+: PersistentVolumeClaim\/data-data\./);
      await waitUntil(async () => !(await claimExists('data-data')), {timeoutMs: 30_000, description: 'claim data-data to go'});

      const twice = app('delete', 'data', '--yes', '--purge-data');
      expect(twice.status).toBe(0);
      expect(twice.stdout).toMatch(/^No changes: there is no app data in /);
    },
    TIMEOUT,
  );
});
