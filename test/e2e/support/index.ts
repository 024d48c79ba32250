// Helpers for the end-to-end tests in test/e2e/.
export {TEST_KUBECONFIG, kubeconfigFor, startFlavour, type Flavour} from './cluster.ts';
export {KubectlError, kubectl, kubectlJson, kubectlPath, kubectlResult, kubectlStream} from './kubectl.ts';
export type {KubectlOptions, KubectlResult, KubectlStream} from './kubectl.ts';
export {
  appendLogLines,
  containerLogFile,
  criLogLine,
  namespaceLogFile,
  routeNamespaceLogs,
  routePodLogs,
  waitForLogs,
} from './logs.ts';
export {TEST_NAMESPACE_LABEL, newNamespace, type TestNamespace} from './namespace.ts';
export {SIMULATED_IMAGES, SIMULATE_ANNOTATION, setSimulatedUsage, simulateAnnotation, type SimulatedFailure} from './simulate.ts';
export {waitUntil} from './wait.ts';
export {cuttableConnection} from './relay.ts';
export {databaseServers, mariadb, psql, redisCli, type ClientResult, type HarnessState, type Login} from './databases.ts';
