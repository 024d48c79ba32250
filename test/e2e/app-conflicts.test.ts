// A hand fix made with kubectl is never overwritten silently: `app create` stops with a conflict
// that names who changed what, and --force-conflicts takes the field back on purpose.
import {beforeAll, expect, test} from '@jest/globals';

import {envelope, gshift, output} from './app-cli.ts';
import {kubectl, kubectlJson, newNamespace, type TestNamespace} from './support/index.ts';

const TIMEOUT = 90_000;
let ns: TestNamespace;

beforeAll(async () => {
  ns = await newNamespace('app-conflicts');
}, TIMEOUT);

const image = async () => (await kubectlJson(['get', 'deployment', 'web'], {namespace: ns.name})).spec.template.spec.containers[0].image;

test(
  'refuses to overwrite an image someone changed with kubectl, names them, and takes it back with --force-conflicts',
  async () => {
    const create = ['app', 'create', 'web', '--stack', 'nodejs', '--image', 'quay.io/acme/web:1.0', '-n', ns.name, '--no-wait'];
    expect(gshift(ns, create).status).toBe(0);
    await kubectl(['set', 'image', 'deployment/web', 'nodejs=quay.io/acme/web:hotfix'], {namespace: ns.name});

    const refused = gshift(ns, [...create, '--json']);
    expect(refused.status).toBe(7);
    const {error} = envelope(refused);
    expect(error).toMatchObject({code: 'CONFLICT', hint: expect.stringContaining('--force-conflicts')});
    expect(error.message).toMatch(/kubectl/);
    expect(await image()).toBe('quay.io/acme/web:hotfix');

    const forced = gshift(ns, [...create, '--force-conflicts']);
    expect(forced.status).toBe(0);
    expect(await image()).toBe('quay.io/acme/web:1.0');
    const deployment = await kubectlJson(['get', 'deployment', 'web', '--show-managed-fields'], {namespace: ns.name});
    const owners = deployment.metadata.managedFields.filter((entry: any) => JSON.stringify(entry.fieldsV1).includes('"f:image"')).map((entry: any) => entry.manager);
    expect(owners).toEqual(['gshift']);
    expect(output(forced)).not.toMatch(/\n\s+at /);
  },
  TIMEOUT,
);
