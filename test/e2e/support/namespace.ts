// Each test gets a namespace of its own, removed when the test file is done.
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll} from '@jest/globals';
import {logsDir} from '../../cluster/layout.ts';
import {kubeconfigFor, startFlavour, type Flavour} from './cluster.ts';
import {kubectl, kubectlResult, type KubectlOptions} from './kubectl.ts';
import {clusterLogsName, routeNamespaceLogs} from './logs.ts';
import {waitUntil} from './wait.ts';

export type TestNamespace = {
  name: string;
  flavour: Flavour;
  /** The kubeconfig of the namespace's cluster (pass it to gshift as KUBECONFIG). */
  kubeconfig: string;
  /** The file every container in the namespace logs from (see logs.ts). */
  logFile: string;
  /** kubectl in this namespace. */
  kubectl: (args: string[], options?: Omit<KubectlOptions, 'namespace' | 'flavour'>) => Promise<string>;
  /** Deletes the namespace now (otherwise it goes when the test file ends). */
  delete: () => Promise<void>;
};

/** Label on every namespace the e2e tests create, to find leftovers of an interrupted run. */
export const TEST_NAMESPACE_LABEL = 'gshift.test/e2e';

const created: TestNamespace[] = [];

afterAll(async () => {
  if (process.env.GSHIFT_E2E_KEEP_NAMESPACES) return;
  await Promise.all(created.splice(0).map((namespace) => namespace.delete()));
});

function uniqueName(prefix: string): string {
  const base = prefix.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'e2e';
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/**
 * Creates a namespace `<prefix>-<random>` with the labels, in the flavour's cluster (started
 * first if it is not running), routes its containers' logs to its log file and waits for its
 * default ServiceAccount (pods cannot be created before).
 */
export async function newNamespace(
  prefix: string,
  options: {labels?: Record<string, string>; flavour?: Flavour} = {},
): Promise<TestNamespace> {
  const flavour = options.flavour ?? 'openshift';
  // The global setup started the default cluster; another flavour starts on first use.
  if (flavour !== 'openshift') startFlavour(flavour);
  const name = uniqueName(prefix);
  await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {
    flavour,
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {name, labels: {[TEST_NAMESPACE_LABEL]: 'true', ...options.labels}},
    }),
  });
  const logFile = await routeNamespaceLogs(name, {flavour});
  await waitUntil(async () => (await kubectlResult(['get', 'serviceaccount', 'default'], {flavour, namespace: name})).code === 0, {
    timeoutMs: 30_000,
    description: `the default ServiceAccount of ${name}`,
  });
  let deleted = false;
  const namespace: TestNamespace = {
    name,
    flavour,
    kubeconfig: kubeconfigFor(flavour),
    logFile,
    kubectl: (args, kubectlOptions = {}) => kubectl(args, {...kubectlOptions, flavour, namespace: name}),
    delete: async () => {
      if (deleted) return;
      deleted = true;
      // Do not wait: kwok removes the pods, then the namespace controller the namespace.
      await kubectlResult(['delete', 'namespace', name, '--wait=false', '--ignore-not-found'], {flavour});
      await kubectlResult(['delete', 'clusterlogs.kwok.x-k8s.io', clusterLogsName(name), '--ignore-not-found'], {flavour});
      rmSync(join(logsDir, name), {recursive: true, force: true});
    },
  };
  created.push(namespace);
  return namespace;
}
