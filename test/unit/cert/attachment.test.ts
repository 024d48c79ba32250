import {beforeAll, describe, expect, it} from '@jest/globals';
import {X509Certificate} from 'node:crypto';

import {withCertificate} from '../../../src/cert/attachment.ts';
import {routeMaterial, tlsSecret} from '../../../src/cert/secret.ts';
import {maskSecretValues} from '../../../src/core/secret-masking.ts';
import {route, ingress} from '../../../src/render/parts.ts';
import {makeMaterial, type Material} from '../../support/cert-material.ts';

let m: Material;
const service = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'web'}, spec: {ports: [{name: 'http', port: 8080, targetPort: 8080}]}};

beforeAll(() => {
  m = makeMaterial();
  m.leaf('web', {sans: 'DNS:web.example.com'});
});

const secretOf = (chain: string) => tlsSecret('web-tls', 'shop-dev', {chainPem: chain, keyPem: m.read('web.key')});

describe('a certificate on the app\'s Route or Ingress', () => {
  it('puts the leaf alone in certificate, the intermediates in caCertificate and the key in key, and leaves a root out', () => {
    const material = routeMaterial(secretOf(m.read('web.crt') + m.read('intermediate.crt') + m.read('root.crt')))!;
    const [rendered] = withCertificate([route('web', service, 'web.example.com')], 'web', {secret: 'web-tls', termination: 'reencrypt'}, material);
    const tls = (rendered!.spec as any).tls;
    expect(tls).toMatchObject({termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect', key: m.read('web.key')});
    expect(new X509Certificate(tls.certificate).subject).toBe('CN=web');
    expect(tls.certificate.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(tls.caCertificate).toBe(new X509Certificate(m.read('intermediate.crt')).toString());
  });

  it('keeps the router\'s own certificate while the Secret holds none yet (cert-manager still issuing)', () => {
    const [rendered] = withCertificate([route('web', service)], 'web', {secret: 'web-tls', termination: 'edge'}, undefined);
    expect((rendered!.spec as any).tls).toEqual({termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect'});
  });

  it('names the Secret in the Ingress tls section for the rule\'s host', () => {
    const [rendered] = withCertificate([ingress('web', service, 'web.example.com')], 'web', {secret: 'web-tls', termination: 'edge'}, undefined);
    expect((rendered!.spec as any).tls).toEqual([{hosts: ['web.example.com'], secretName: 'web-tls'}]);
  });

  it('leaves other objects and other apps\' Routes alone, and everything when nothing is attached', () => {
    const objects = [route('other', service), service];
    expect(withCertificate(objects, 'web', {secret: 'web-tls', termination: 'edge'}, undefined)).toEqual(objects);
    expect(withCertificate(objects, 'other', undefined, undefined)).toEqual(objects);
  });

  it('masks a Route\'s inline key wherever objects are printed', () => {
    const [rendered] = withCertificate([route('web', service)], 'web', {secret: 'web-tls', termination: 'edge'}, routeMaterial(secretOf(m.read('web.crt'))));
    const masked = maskSecretValues(rendered!) as any;
    expect(masked.spec.tls.key).toBe('••••');
    expect(masked.spec.tls.certificate).toMatch(/BEGIN CERTIFICATE/);
    expect((rendered!.spec as any).tls.key).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('stores the chain, the key and the CA in a kubernetes.io/tls Secret labelled with the certificate\'s name', () => {
    const secret = tlsSecret('web-tls', 'shop-dev', {chainPem: 'chain', keyPem: 'key', caPem: 'ca'});
    expect(secret).toMatchObject({type: 'kubernetes.io/tls', metadata: {labels: {'gshift.io/cert': 'web-tls', 'app.kubernetes.io/managed-by': 'gshift'}}});
    expect(Object.fromEntries(Object.entries(secret.data!).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]))).toEqual({'tls.crt': 'chain', 'tls.key': 'key', 'ca.crt': 'ca'});
  });
});
