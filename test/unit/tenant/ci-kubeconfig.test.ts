import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {describe, expect, it} from '@jest/globals';
import {parse} from 'yaml';

import {GshiftError} from '../../../src/errors.ts';
import {readCertificateAuthority, renderKubeconfig} from '../../../src/tenant/ci-kubeconfig.ts';

describe('the CI kubeconfig', () => {
  it('names the server, its CA and the namespace, with the token as the only credential', async () => {
    const text = await renderKubeconfig({endpoint: {server: 'https://127.0.0.1:6443', certificateAuthorityData: 'Q0E='}, namespace: 'shop-test', token: 'tok.en', name: 'shop-test-ci'});
    expect(parse(text)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{name: 'shop-test-ci', cluster: {server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E='}}],
      users: [{name: 'shop-test-ci', user: {token: 'tok.en'}}],
      contexts: [{name: 'shop-test-ci', context: {cluster: 'shop-test-ci', user: 'shop-test-ci', namespace: 'shop-test'}}],
      'current-context': 'shop-test-ci',
    });
  });

  it("embeds the CA from the kubeconfig's file", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gshift-ca-')), 'ca.crt');
    writeFileSync(file, 'PEM');
    expect(readCertificateAuthority(undefined, file)).toBe(Buffer.from('PEM').toString('base64'));
    expect(readCertificateAuthority('inline', file)).toBe('inline');
  });

  it('is a usage error naming the file, not a crash, when the CA file cannot be read', () => {
    const read = () => readCertificateAuthority(undefined, '/nonexistent/ca.crt');
    expect(read).toThrow(GshiftError);
    expect(read).toThrow('The certificate authority file "/nonexistent/ca.crt" named in the kubeconfig cannot be read (ENOENT).');
  });
});
