import {describe, expect, it} from '@jest/globals';
import {dump, load} from 'js-yaml';

import {UNSUPPORTED, parseKubeconfigText, readSimpleYaml} from '../../../src/cluster/kubeconfig-yaml.js';

const CA = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM0ekNDQWN1Z0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJMk1ERXdNVEF3TURBd01Gb1hEVE0yTURFd01UQXdNREF3TUZvd0ZURVRNQkVHQTFVRQo=';

/** Kubeconfigs as kubectl, oc, kind, minikube and the cloud CLIs write them. */
const WRITTEN_BY_TOOLS: Record<string, string> = {
  'kubectl config view --raw': `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://127.0.0.1:6443
  name: kind-dev
contexts:
- context:
    cluster: kind-dev
    namespace: shop-dev
    user: kind-dev
  name: kind-dev
current-context: kind-dev
kind: Config
preferences: {}
users:
- name: kind-dev
  user:
    client-certificate-data: ${CA}
    client-key-data: ${CA}
`,
  'oc login (token, insecure, quoted names)': `apiVersion: v1
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: https://api.crc.testing:6443
  name: api-crc-testing:6443
contexts:
- context:
    cluster: api-crc-testing:6443
    namespace: "default"
    user: developer/api-crc-testing:6443
  name: default/api-crc-testing:6443/developer
current-context: 'default/api-crc-testing:6443/developer'
kind: Config
preferences: {}
users:
- name: developer/api-crc-testing:6443
  user:
    token: sha256~abcdefABCDEF0123456789_-xyz
`,
  'EKS exec plugin with args, env and comments': `# written by aws eks update-kubeconfig
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CA}
    server: https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:111122223333:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:111122223333:cluster/prod
    user: arn:aws:eks:eu-west-1:111122223333:cluster/prod   # the IAM user
  name: arn:aws:eks:eu-west-1:111122223333:cluster/prod
current-context: arn:aws:eks:eu-west-1:111122223333:cluster/prod
kind: Config
preferences: {}
users:
- name: arn:aws:eks:eu-west-1:111122223333:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      command: aws
      env:
      - name: AWS_PROFILE
        value: "prod"
      interactiveMode: IfAvailable
      provideClusterInfo: false
`,
  'minikube (files, extensions, CRLF, document marker)': [
    '---',
    'apiVersion: v1',
    'clusters:',
    '  - cluster:',
    '      certificate-authority: /home/dev/.minikube/ca.crt',
    '      extensions:',
    '        - extension:',
    '            last-update: Mon, 01 Jun 2026 10:00:00 UTC',
    '            provider: minikube.sigs.k8s.io',
    '          name: cluster_info',
    '      server: https://192.168.49.2:8443',
    '    name: minikube',
    'contexts:',
    '  - context:',
    '      cluster: minikube',
    '      user: minikube',
    '    name: minikube',
    'current-context: minikube',
    'kind: Config',
    'users:',
    '  - name: minikube',
    '    user:',
    '      client-certificate: /home/dev/.minikube/profiles/minikube/client.crt',
    '      client-key: /home/dev/.minikube/profiles/minikube/client.key',
    '',
  ].join('\r\n'),
  'empty and null values, escapes': `apiVersion: v1
kind: Config
clusters: []
contexts:
users:
- name: ""
  user:
    username: 'it''s me'
    password: "p\\"w\\\\d\\u00e9"
    as: ~
current-context: NULL
`,
};

/** Constructs the simple reader leaves to js-yaml, which reads them as it always did. */
const LEFT_TO_JS_YAML: Record<string, string> = {
  'flow mapping': 'apiVersion: v1\npreferences: {colors: true}\n',
  'anchor and alias': 'a: &x one\nb: *x\n',
  'block scalar': 'token: |\n  abc\n',
  'multi-line plain scalar': 'token: abc\n  def\n',
  number: 'kind: Config\nport: 6443\n',
  'several documents': 'a: b\n---\nc: d\n',
  tag: 'token: !!str 123\n',
  'quoted key': '"api version": v1\n',
  JSON: '{"apiVersion": "v1", "kind": "Config"}',
  'comment after a key with no value': 'users: # none\n',
};

/** A value or the error's message, so results and failures compare alike. */
function outcome(read: () => unknown): {value?: unknown; error?: string} {
  try {
    return {value: read()};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

describe('reading a kubeconfig without js-yaml', () => {
  for (const [name, text] of Object.entries(WRITTEN_BY_TOOLS)) {
    it(`reads a kubeconfig from ${name} itself, exactly as js-yaml does`, () => {
      const simple = readSimpleYaml(text);
      expect(simple).not.toBe(UNSUPPORTED);
      expect(simple).toEqual(load(text));
    });
  }

  for (const [name, text] of Object.entries(LEFT_TO_JS_YAML)) {
    it(`leaves ${name} to js-yaml`, () => {
      expect(readSimpleYaml(text)).toBe(UNSUPPORTED);
      expect(outcome(() => parseKubeconfigText(text))).toEqual(outcome(() => load(text)));
    });
  }

  it('reports the errors js-yaml reports: a duplicate key is not silently merged', () => {
    expect(readSimpleYaml('kind: Config\nkind: Other\n')).toBe(UNSUPPORTED);
    expect(() => parseKubeconfigText('kind: Config\nkind: Other\n')).toThrow(/duplicat/i);
  });

  it('never reads a value differently from js-yaml: 2,000 generated documents, in the styles js-yaml writes them', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const pieces = ['a', 'Z', '0', '7', '-', ':', ' ', '#', "'", '"', '\\', '/', '.', '~', 'é', 'true', 'null', 'no', '0x1F', '1e3', '@', '!', '&', '*', '[', '{', ',', '%', '?', '|', '>', '__proto__'];
    const text = () => Array.from({length: Math.floor(random() * 5)}, () => pick(pieces)).join('');
    const value = (depth: number): unknown => {
      const kind = random();
      if (depth > 2 || kind < 0.5) return pick([text(), text(), true, null, 'v1', '']);
      if (kind < 0.75) return Array.from({length: Math.floor(random() * 3)}, () => value(depth + 1));
      return Object.fromEntries(Array.from({length: Math.floor(random() * 4)}, () => [text() || 'k', value(depth + 1)]));
    };
    let readHere = 0;
    for (let round = 0; round < 2000; round++) {
      const document = {apiVersion: 'v1', kind: 'Config', data: value(0)};
      const yaml = dump(document, {flowLevel: round % 7 === 0 ? 2 : -1});
      const simple = readSimpleYaml(yaml);
      if (simple === UNSUPPORTED) continue;
      readHere++;
      expect({yaml, value: simple}).toEqual({yaml, value: load(yaml)});
    }
    // The subset is what tools write: most of these documents are read without js-yaml.
    expect(readHere).toBeGreaterThan(1000);
  });
});
