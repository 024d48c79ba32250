// A real cert-manager controller for the tests that issue certificates: started on first use
// beside the flavour's cluster (test/cluster/cert-manager.ts) and stopped with that cluster.
import {CLUSTER_RESOURCE_NAMESPACE, TEST_CA_ISSUER, startCertManager} from '../../cluster/cert-manager.ts';
import {kubeconfigFor, startFlavour, type Flavour} from './cluster.ts';
import {kubectlJson} from './kubectl.ts';

export {TEST_CA_ISSUER} from '../../cluster/cert-manager.ts';

const started = new Set<Flavour>();

/** Starts cert-manager for the flavour's cluster and returns the test CA's certificate (PEM), which signs what it issues. */
export async function useCertManager(flavour: Flavour = 'openshift'): Promise<{issuer: string; caCertificate: string}> {
  if (flavour !== 'openshift') startFlavour(flavour);
  if (!started.has(flavour)) {
    startCertManager(flavour, kubeconfigFor(flavour));
    started.add(flavour);
  }
  const secret = await kubectlJson(['get', 'secret', TEST_CA_ISSUER], {namespace: CLUSTER_RESOURCE_NAMESPACE, flavour});
  return {issuer: TEST_CA_ISSUER, caCertificate: Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8')};
}
