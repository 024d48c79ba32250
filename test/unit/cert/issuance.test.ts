import {describe, expect, it} from '@jest/globals';

import {requireCertManager} from '../../../src/cert/issue.ts';
import {certificateObject, certificateReady, issuanceFailed} from '../../../src/cert/issuance.ts';

const certificate = (conditions: object[], generation = 1) => ({apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: {name: 'web-tls', generation}, status: {conditions}});

describe('cert issue without cert-manager', () => {
  it('says cert-manager is not installed, with the way to add a certificate by hand, when discovery does not show its API', () => {
    // Both flavours of the test cluster have cert-manager's CRDs, so the absent case is a Discovery without them.
    const refused = (() => {
      try {
        requireCertManager({hasKind: () => false});
      } catch (error) {
        return error as {code: string; exitCode: number; message: string; hint: string};
      }
      throw new Error('accepted');
    })();
    expect(refused).toMatchObject({code: 'NOT_FOUND', exitCode: 6, message: 'cert-manager is not installed on this cluster: it does not serve cert-manager.io/v1 Certificates.'});
    expect(refused.hint).toMatch(/gshift cert add NAME --cert FILE --key FILE --app APP/);
    expect(() => requireCertManager({hasKind: (apiVersion, kind) => apiVersion === 'cert-manager.io/v1' && kind === 'Certificate'})).not.toThrow();
  });
});

describe('cert issue: the Certificate and when it is issued', () => {
  it('asks for the host with a new P-256 key in PKCS#8 on each renewal, and labels the Secret as the certificate\'s', () => {
    expect(certificateObject('web-tls', 'shop-dev', 'web.example.com', {kind: 'ClusterIssuer', name: 'test-ca'})).toMatchObject({
      metadata: {name: 'web-tls', namespace: 'shop-dev', labels: {'gshift.io/cert': 'web-tls'}},
      spec: {
        secretName: 'web-tls',
        dnsNames: ['web.example.com'],
        issuerRef: {group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'test-ca'},
        privateKey: {algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always'},
        secretTemplate: {labels: {'gshift.io/cert': 'web-tls', 'app.kubernetes.io/managed-by': 'gshift'}},
      },
    });
  });

  it('is ready when Ready is True for the current generation, and failed when Issuing says Failed', () => {
    expect(certificateReady(certificate([{type: 'Ready', status: 'True', observedGeneration: 2}], 2))).toBe(true);
    expect(certificateReady(certificate([{type: 'Ready', status: 'True', observedGeneration: 1}], 2))).toBe(false);
    expect(certificateReady(certificate([{type: 'Ready', status: 'False', reason: 'DoesNotExist'}]))).toBe(false);
    expect(issuanceFailed(certificate([{type: 'Issuing', status: 'False', reason: 'Failed', message: 'The certificate request has failed to complete and will be retried: issuer not ready'}]))).toMatch(/issuer not ready/);
    expect(issuanceFailed(certificate([{type: 'Issuing', status: 'True', reason: 'Requested'}]))).toBeUndefined();
  });
});
