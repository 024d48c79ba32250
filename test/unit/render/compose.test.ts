import {describe, expect, test} from '@jest/globals';
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {listStackEntries} from '../../../src/render/catalogue.js';
import {renderApp, renderAppDetailed, withRegistry, type AppRenderInput} from '../../../src/render/compose.js';
import type {KubeObject} from '../../../src/render/template.js';

const HA = ['acc', 'prod'];
const base = (overrides: Partial<AppRenderInput> = {}): AppRenderInput => ({name: 'shop', stack: 'nodejs', env: 'dev', platform: 'openshift', haEnvironments: HA, ...overrides});
const kinds = (objects: KubeObject[]) => objects.map((object) => object.kind);
const find = (objects: KubeObject[], kind: string) => objects.find((object) => object.kind === kind)!;
const podSpec = (objects: KubeObject[]) => (find(objects, 'Deployment').spec as any).template.spec;

const BUILT_IN = ['eap', 'httpd', 'java', 'mariadb', 'mysql', 'nginx', 'nodejs', 'postgresql', 'python', 'redis'];

describe('renderApp', () => {
  test('the built-in catalogue has every stack of the issue', () => {
    expect(listStackEntries().map((entry) => entry.name).sort()).toEqual(BUILT_IN);
  });

  test('an app in dev: Service, Deployment, then a Route on OpenShift; one replica; no HA parts', async () => {
    const objects = await renderApp(base());
    expect(kinds(objects)).toEqual(['Service', 'Deployment', 'Route']);
    expect((find(objects, 'Deployment').spec as any).replicas).toBe(1);
    expect(find(objects, 'Route').spec).toMatchObject({to: {kind: 'Service', name: 'shop'}, port: {targetPort: 'http'}, tls: {termination: 'edge'}});
    expect(podSpec(objects).topologySpreadConstraints).toBeUndefined();
  });

  test('on plain Kubernetes the app gets an Ingress instead of a Route, with the host', async () => {
    const objects = await renderApp(base({platform: 'kubernetes', host: 'shop.example.org'}));
    expect(kinds(objects)).toEqual(['Service', 'Deployment', 'Ingress']);
    expect((find(objects, 'Ingress').spec as any).rules[0]).toMatchObject({host: 'shop.example.org', http: {paths: [{backend: {service: {name: 'shop', port: {name: 'http'}}}}]}});
  });

  test.each(['acc', 'prod'])('in %s (HA): at least 2 replicas held by an autoscaler, topology spread and a PodDisruptionBudget', async (env) => {
    const objects = await renderApp(base({env}));
    expect(kinds(objects)).toEqual(['Service', 'Deployment', 'Route', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    const deployment = find(objects, 'Deployment').spec as any;
    // The autoscaler owns the count: a rendered spec.replicas would fight it on every re-apply.
    expect(deployment.replicas).toBeUndefined();
    expect(podSpec(objects).topologySpreadConstraints[0]).toMatchObject({topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: deployment.selector});
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({maxUnavailable: 1, selector: deployment.selector});
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({minReplicas: 2, scaleTargetRef: {kind: 'Deployment', name: 'shop'}});
  });

  test('an HA environment refuses fewer than 2 replicas when the stack enforces it', async () => {
    await expect(renderApp(base({env: 'prod', replicas: 1}))).rejects.toThrow('prod is a high-availability environment, so nodejs apps run at least 2 replicas.');
    expect(find(await renderApp(base({env: 'prod', replicas: 5})), 'HorizontalPodAutoscaler').spec).toMatchObject({minReplicas: 5});
  });

  test('every object carries the gshift labels, and pods carry them too without changing selectors', async () => {
    const objects = await renderApp(base({tenant: 'webshop', env: 'prod', namespace: 'webshop-prod', envVars: {A: '1'}, storage: '2Gi'}));
    const expected = {
      'app.kubernetes.io/name': 'nodejs',
      'app.kubernetes.io/instance': 'shop',
      'app.kubernetes.io/managed-by': 'gshift',
      'gshift.io/tenant': 'webshop',
      'gshift.io/env': 'prod',
      'gshift.io/stack': 'nodejs',
      'gshift.io/app': 'shop',
    };
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject(expected);
      expect(object.metadata.namespace).toBe('webshop-prod');
    }
    const deployment = find(objects, 'Deployment').spec as any;
    expect(deployment.template.metadata.labels).toMatchObject(expected);
    expect(deployment.selector.matchLabels).toEqual({'app.kubernetes.io/name': 'nodejs', 'app.kubernetes.io/instance': 'shop'});
  });

  test('objects come in dependency order: ConfigMap, PVC, Service, Deployment, then Route, HPA, PDB', async () => {
    const objects = await renderApp(base({env: 'acc', envVars: {LOG_LEVEL: 'debug'}, storage: '1Gi'}));
    expect(kinds(objects)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Service', 'Deployment', 'Route', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  });

  test('env vars become a ConfigMap read whole, and a change of value rolls the pods', async () => {
    const render = async (value: string) => renderApp(base({envVars: {LOG_LEVEL: value, 'feature.flag': 'on'}}));
    const first = await render('debug');
    expect(find(first, 'ConfigMap')).toMatchObject({metadata: {name: 'shop-env'}, data: {LOG_LEVEL: 'debug', 'feature.flag': 'on'}});
    expect(podSpec(first).containers[0].envFrom).toEqual([{configMapRef: {name: 'shop-env'}}]);
    const hash = (objects: KubeObject[]) => (find(objects, 'Deployment').spec as any).template.metadata.annotations['gshift.io/config-hash'];
    expect(hash(first)).not.toBe(hash(await render('info')));
  });

  test('--storage on an app adds a claim mounted at the stack\'s path', async () => {
    const objects = await renderApp(base({storage: '3Gi'}));
    expect(find(objects, 'PersistentVolumeClaim')).toMatchObject({metadata: {name: 'shop-data'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '3Gi'}}}});
    expect(podSpec(objects).containers[0].volumeMounts).toContainEqual({name: 'data', mountPath: '/opt/app-root/data'});
    expect(podSpec(objects).volumes).toContainEqual({name: 'data', persistentVolumeClaim: {claimName: 'shop-data'}});
  });

  test('the stack image goes through the registry prefix; an explicit image is used as given', async () => {
    const image = async (input: Partial<AppRenderInput>) => podSpec(await renderApp(base(input))).containers[0].image;
    expect(await image({registry: 'registry.example.gov/certified'})).toBe('registry.example.gov/certified/ubi9/nodejs-22:9.7');
    expect(await image({registry: 'registry.example.gov/certified', image: 'quay.io/team/shop:1.2'})).toBe('quay.io/team/shop:1.2');
    expect(withRegistry('nginx:1.27', 'mirror.local:5000')).toBe('mirror.local:5000/nginx:1.27');
  });

  test('--port changes the container port, the Service and the probes follow by name', async () => {
    const objects = await renderApp(base({port: 3000}));
    expect(podSpec(objects).containers[0].ports[0]).toMatchObject({name: 'http', containerPort: 3000});
    expect((find(objects, 'Service').spec as any).ports[0]).toMatchObject({port: 3000, targetPort: 'http'});
    expect(podSpec(objects).containers[0].readinessProbe.httpGet).toEqual({path: '/', port: 'http'});
  });

  test('--param sets a template parameter; unknown ones and ones gshift controls are refused', async () => {
    const objects = await renderApp(base({params: {MEMORY_LIMIT: '1Gi'}}));
    expect(podSpec(objects).containers[0].resources.limits.memory).toBe('1Gi');
    await expect(renderApp(base({params: {MEMROY_LIMIT: '1Gi'}}))).rejects.toThrow('Stack nodejs has no parameter MEMROY_LIMIT.');
    await expect(renderApp(base({params: {IMAGE: 'x'}}))).rejects.toThrow('--param IMAGE is set by gshift from --image.');
  });

  test('a database: Secret with generated credentials, PVC sized by --storage, one replica, Recreate, even in prod', async () => {
    const {objects, message} = await renderAppDetailed(base({name: 'orders-db', stack: 'postgresql', env: 'prod', storage: '10Gi', platform: 'kubernetes'}));
    expect(kinds(objects)).toEqual(['Secret', 'PersistentVolumeClaim', 'Service', 'Deployment']);
    const secret = find(objects, 'Secret') as any;
    expect(secret.stringData['database-user']).toMatch(/^user[a-z0-9]{4}$/);
    expect(secret.stringData['database-password']).toMatch(/^[a-zA-Z0-9]{24}$/);
    expect((find(objects, 'PersistentVolumeClaim').spec as any).resources.requests.storage).toBe('10Gi');
    const deployment = find(objects, 'Deployment').spec as any;
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy).toEqual({type: 'Recreate'});
    // On Kubernetes the data volume must be writable by the image's group 0, without a fixed UID.
    expect(deployment.template.spec.securityContext).toMatchObject({fsGroup: 0, runAsNonRoot: true});
    expect(message).toContain('PostgreSQL orders-db is at orders-db:5432');
    await expect(renderApp(base({stack: 'postgresql', replicas: 3}))).rejects.toThrow(/runs exactly one replica/);
    await expect(renderApp(base({stack: 'redis', host: 'x.example.org'}))).rejects.toThrow('Stack redis is not exposed outside the cluster, so it takes no host.');
  });
});

describe('a team\'s own stacks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gshift-stacks-'));
  // A bare template with none of the standards: gshift adds them.
  writeFileSync(
    join(dir, 'bare.yaml'),
    `apiVersion: template.openshift.io/v1
kind: Template
metadata: {name: bare}
parameters:
- {name: NAME, value: bare}
- {name: IMAGE, value: quay.io/team/bare:1}
objects:
- apiVersion: v1
  kind: Service
  metadata: {name: '\${NAME}'}
  spec: {selector: {app: '\${NAME}'}, ports: [{name: web, port: 80, targetPort: 8000}]}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: '\${NAME}'}
  spec:
    selector: {matchLabels: {app: '\${NAME}'}}
    strategy: {type: Recreate}
    template:
      metadata: {labels: {app: '\${NAME}'}}
      spec:
        securityContext: {runAsUser: 1000}
        containers:
        - name: web
          image: '\${IMAGE}'
          ports: [{name: web, containerPort: 8000}]
          securityContext: {privileged: true, runAsUser: 0, capabilities: {add: [NET_ADMIN, NET_BIND_SERVICE]}}
`,
  );
  mkdirSync(join(dir, 'relaxed'));
  writeFileSync(join(dir, 'relaxed', 'template.yaml'), `apiVersion: template.openshift.io/v1\nkind: Template\nmetadata: {name: relaxed}\nparameters: [{name: NAME}]\nobjects:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: '\${NAME}'}\n  spec:\n    selector: {matchLabels: {app: x}}\n    strategy: {type: Recreate}\n    template:\n      metadata: {labels: {app: x}}\n      spec: {containers: [{name: c, image: i, ports: [{containerPort: 9000}]}]}\n`);
  writeFileSync(join(dir, 'relaxed', 'stack.yaml'), 'name: relaxed\nkind: app\ndescription: A worker.\nparts: []\nstandards:\n  relaxable: [highAvailability, rollingUpdate, resources]\n');
  mkdirSync(join(dir, 'nodejs'));
  writeFileSync(join(dir, 'nodejs', 'template.yaml'), 'apiVersion: template.openshift.io/v1\nkind: Template\nobjects: []\n');

  test('directories named in config are searched before the built-in catalogue', () => {
    const entries = listStackEntries([dir]);
    expect(entries.find((entry) => entry.name === 'nodejs')).toMatchObject({source: 'user'});
    expect(entries.find((entry) => entry.name === 'bare')).toMatchObject({source: 'user', templatePath: join(dir, 'bare.yaml')});
    expect(entries.find((entry) => entry.name === 'postgresql')).toMatchObject({source: 'built-in'});
  });

  test('a bare template gets the platform standards: restricted security, resources, probes, rolling update', async () => {
    const objects = await renderApp(base({stack: 'bare', templateDirs: [dir], image: 'quay.io/team/bare:2'}));
    const pod = podSpec(objects);
    expect(pod.securityContext).toEqual({runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}});
    expect(pod.containers[0].securityContext).toEqual({allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: {drop: ['ALL'], add: ['NET_BIND_SERVICE']}, seccompProfile: {type: 'RuntimeDefault'}});
    expect(pod.containers[0].resources).toEqual({requests: {cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi'}, limits: {memory: '512Mi', 'ephemeral-storage': '1Gi'}});
    expect(pod.containers[0].readinessProbe).toMatchObject({tcpSocket: {port: 'web'}});
    // Without health paths both checks are TCP; liveness at least gives up later.
    expect(pod.containers[0].livenessProbe).toMatchObject({tcpSocket: {port: 'web'}, failureThreshold: 6});
    expect(pod.containers[0].image).toBe('quay.io/team/bare:2');
    expect((find(objects, 'Deployment').spec as any).strategy).toEqual({type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: 1}});
    // Its own selector still selects its pods.
    const deployment = find(objects, 'Deployment').spec as any;
    expect(deployment.template.metadata.labels).toMatchObject(deployment.selector.matchLabels);
    expect(deployment.selector.matchLabels).toEqual({app: 'shop'});
  });

  test('a liveness check identical to readiness becomes a lenient TCP check of the same port', async () => {
    const probe = {httpGet: {path: '/health', port: 'web'}, periodSeconds: 10, failureThreshold: 3};
    const same = {apiVersion: 'template.openshift.io/v1', kind: 'Template', metadata: {name: 'same'}, parameters: [{name: 'NAME', value: 'same'}], objects: [{
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: '${NAME}'},
      spec: {selector: {matchLabels: {app: 'x'}}, template: {metadata: {labels: {app: 'x'}}, spec: {containers: [{
        name: 'web', image: 'quay.io/team/web:3', ports: [{name: 'web', containerPort: 8000}],
        readinessProbe: probe, livenessProbe: probe, startupProbe: {tcpSocket: {port: 'web'}},
      }]}}},
    }]};
    writeFileSync(join(dir, 'same.json'), JSON.stringify(same));
    const container = podSpec(await renderApp(base({stack: 'same', templateDirs: [dir]}))).containers[0];
    expect(container.readinessProbe).toEqual(probe);
    expect(container.livenessProbe).toEqual({tcpSocket: {port: 'web'}, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6});
  });

  test('on Kubernetes a pod runs as UID and GID 10001 in group 0, whatever the template says; on OpenShift the SCC decides', async () => {
    const kubernetes = podSpec(await renderApp(base({stack: 'bare', templateDirs: [dir], platform: 'kubernetes'})));
    expect(kubernetes.securityContext).toEqual({runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, supplementalGroups: [0], seccompProfile: {type: 'RuntimeDefault'}});
    expect(kubernetes.containers[0].securityContext.runAsUser).toBeUndefined();
    const openshift = podSpec(await renderApp(base({stack: 'bare', templateDirs: [dir], platform: 'openshift'})));
    expect(openshift.securityContext).toEqual({runAsNonRoot: true, seccompProfile: {type: 'RuntimeDefault'}});
  });

  test('standards the descriptor marks relaxable give way to the team\'s choices', async () => {
    const {objects, warnings} = await renderAppDetailed(base({stack: 'relaxed', templateDirs: [dir], env: 'prod', replicas: 1}));
    const deployment = find(objects, 'Deployment').spec as any;
    expect(deployment.replicas).toBe(1);
    expect(deployment.strategy).toEqual({type: 'Recreate'});
    expect(deployment.template.spec.containers[0].resources).toBeUndefined();
    expect(kinds(objects)).toEqual(['Deployment']);
    expect(warnings[0]).toMatch(/runs 1 replica in prod/);
  });
});

describe("gshift scale's setting in the render", () => {
  test('an autoscaler in any environment, with its bounds, targets and a slow scale-down; the count left to it', async () => {
    const objects = await renderApp(base({autoscale: {min: 1, max: 5, cpu: 60, memory: 80}}));
    expect(kinds(objects)).toEqual(['Service', 'Deployment', 'Route', 'HorizontalPodAutoscaler']);
    expect((find(objects, 'Deployment').spec as any).replicas).toBeUndefined();
    const spec = find(objects, 'HorizontalPodAutoscaler').spec as any;
    expect(spec).toMatchObject({minReplicas: 1, maxReplicas: 5});
    expect(spec.metrics).toEqual([
      {type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 60}}},
      {type: 'Resource', resource: {name: 'memory', target: {type: 'Utilization', averageUtilization: 80}}},
    ]);
    expect(spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  test('false means a fixed count, also where the platform would add an autoscaler', async () => {
    const objects = await renderApp(base({env: 'prod', replicas: 3, autoscale: false}));
    expect(kinds(objects)).toEqual(['Service', 'Deployment', 'Route', 'PodDisruptionBudget']);
    expect((find(objects, 'Deployment').spec as any).replicas).toBe(3);
    await expect(renderApp(base({env: 'prod', replicas: 1, autoscale: false}))).rejects.toThrow(/at least 2 replicas/);
  });

  test('an HA environment refuses an autoscaler minimum below 2, and a database stack refuses autoscaling', async () => {
    await expect(renderApp(base({env: 'prod', autoscale: {min: 1, max: 4, cpu: 70}}))).rejects.toThrow('prod is a high-availability environment, so nodejs apps run at least 2 replicas: --min 1 is too low.');
    await expect(renderApp(base({stack: 'postgresql', autoscale: {min: 1, max: 4, cpu: 70}}))).rejects.toThrow(/runs exactly one replica/);
  });
});
