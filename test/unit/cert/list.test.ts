import {beforeAll, describe, expect, it} from '@jest/globals';
import {X509Certificate} from 'node:crypto';

import {checkExpiry, expiringError} from '../../../src/cert/expiry.ts';
import {namesLost} from '../../../src/cert/hosts.ts';
import {certificateEntries, type CertificateSources} from '../../../src/cert/list.ts';
import {tlsSecret} from '../../../src/cert/secret.ts';
import {daysCell} from '../../../src/ui/cert-views.ts';
import {makeMaterial, type Material} from '../../support/cert-material.ts';

let m: Material;

beforeAll(() => {
  m = makeMaterial();
  m.leaf('web', {sans: 'DNS:web.example.com', to: 400});
  m.leaf('web-old', {sans: 'DNS:web.example.com', to: 3});
  m.leaf('api', {sans: 'DNS:api.example.com,DNS:*.api.example.com', to: 20});
  m.leaf('own', {sans: 'DNS:own.example.com', to: 3});
});

const secret = (name: string, leaf: string) => tlsSecret(name, 'shop-dev', {chainPem: m.read(`${leaf}.crt`) + m.read('intermediate.crt'), keyPem: m.read(`${leaf}.key`)});
const routeWith = (name: string, leaf: string) => ({apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: {name, labels: {'gshift.io/app': name}}, spec: {tls: {termination: 'edge', certificate: m.read(`${leaf}.crt`)}}});

const sources = (): CertificateSources => ({
  namespace: 'shop-dev',
  secrets: [secret('web-tls', 'web'), secret('api-tls', 'api')],
  routes: [routeWith('web', 'web-old'), routeWith('own', 'own'), {apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: {name: 'plain'}, spec: {tls: {termination: 'edge'}}}],
  ingresses: [{apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: {name: 'api', labels: {'gshift.io/app': 'api'}}, spec: {tls: [{secretName: 'api-tls'}]}}],
  certificates: [
    {apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: {name: 'api-tls'}, spec: {secretName: 'api-tls'}, status: {conditions: [{type: 'Ready', status: 'True'}]}},
    {apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: {name: 'shop-tls'}, spec: {secretName: 'shop-tls'}, status: {conditions: [{type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuing certificate as Secret does not exist'}]}},
  ],
  attachments: new Map([['web', 'web-tls']]),
});

describe('cert list: every certificate gshift can see, once', () => {
  it('lists TLS Secrets with the apps that use them, cert-manager renewal, a Route\'s stale copy and its own certificate, and a Certificate not issued yet', () => {
    const entries = certificateEntries(sources());
    expect(entries.map((entry) => [entry.name, entry.source])).toEqual([
      ['api-tls', 'secret'],
      ['route/own', 'route'],
      ['route/web', 'route'],
      ['shop-tls', 'cert-manager'],
      ['web-tls', 'secret'],
    ]);
    const byName = Object.fromEntries(entries.map((entry) => [entry.name, entry]));
    expect(byName['web-tls']).toMatchObject({apps: ['web'], staleRoutes: ['web'], sans: ['web.example.com'], issuer: 'CN=gshift test intermediate', subject: 'CN=web'});
    expect(byName['web-tls']!.renewedBy).toBeUndefined();
    expect(byName['api-tls']).toMatchObject({apps: ['api'], renewedBy: 'api-tls', status: 'True', sans: ['api.example.com', '*.api.example.com']});
    expect(byName['route/web']).toMatchObject({apps: ['web'], copyOf: 'web-tls', daysLeft: 2});
    expect(byName['route/own']).toMatchObject({apps: ['own'], subject: 'CN=own'});
    expect(byName['route/own']!.copyOf).toBeUndefined();
    expect(byName['shop-tls']).toMatchObject({renewedBy: 'shop-tls', status: 'False: DoesNotExist — Issuing certificate as Secret does not exist'});
    expect(byName['shop-tls']!.daysLeft).toBeUndefined();
  });

  it('a Route whose inline certificate is its Secret\'s current one is that Secret\'s app, not a separate entry', () => {
    const current = {...sources(), routes: [routeWith('web', 'web')]};
    const entries = certificateEntries(current);
    expect(entries.map((entry) => entry.name)).toEqual(['api-tls', 'shop-tls', 'web-tls']);
    expect(entries.find((entry) => entry.name === 'web-tls')!.staleRoutes).toBeUndefined();
  });
});

describe('cert check windows', () => {
  const entries = () => certificateEntries(sources());

  it('fails on fewer whole days left than --fail-days (expired included), warns inside --warn-days, reports what is not issued', () => {
    const report = checkExpiry(entries(), {warnDays: 30, failDays: 7});
    expect(report.failing.map((entry) => entry.name)).toEqual(['route/own', 'route/web']);
    expect(report.warning.map((entry) => entry.name)).toEqual(['api-tls']);
    expect(report.pending.map((entry) => entry.name)).toEqual(['shop-tls']);
    const error = expiringError(report);
    expect(error.exitCode).toBe(13);
    expect(error.message).toMatch(/^2 certificates expire within 7 days or have expired: route\/own in shop-dev \(2 days left, \d{4}-\d\d-\d\d\); route\/web in shop-dev/);
  });

  it('passes when nothing is inside the windows', () => {
    const report = checkExpiry(entries(), {warnDays: 2, failDays: 1});
    expect([report.failing, report.warning]).toEqual([[], []]);
  });

  it('colours the days left by urgency', () => {
    const colours = {red: (text: string) => `red(${text})`, yellow: (text: string) => `yellow(${text})`, green: (text: string) => `green(${text})`};
    const windows = {warnDays: 30, failDays: 7};
    expect([-1, 3, 20, 400].map((daysLeft) => daysCell({daysLeft}, windows, colours))).toEqual(['red(expired)', 'red(3)', 'yellow(20)', 'green(400)']);
    expect(daysCell({}, windows, colours)).toBe('-');
  });
});

describe('cert rotate: the names a replacement must keep', () => {
  it('keeps a name when any SAN covers it, a wildcard only with the same wildcard', () => {
    const cert = (name: string) => new X509Certificate(m.read(`${name}.crt`));
    expect(namesLost(cert('web-old'), cert('web'))).toEqual([]);
    expect(namesLost(cert('api'), cert('web'))).toEqual(['api.example.com', '*.api.example.com']);
  });
});
