// OpenShift's project API (project.openshift.io/v1: ProjectRequest, Project) as openshift-apiserver
// serves it, reduced to what gshift uses, behind the real API server's aggregation layer: the
// API server authenticates the user, checks RBAC for `create projectrequests` and proxies the
// request here with the user's name; this server creates the Namespace (annotated with the
// requester) and makes the requester its admin, as OpenShift's default project template does,
// before it answers. Everything else (RBAC on what follows, server-side apply, admission) stays
// the real server's. Listens on 127.0.0.1 only; the APIService points at it through an
// ExternalName Service.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import type {Cluster, KubeObject} from '../../../src/cluster/index.ts';
import {kubectl, kubectlJson} from './kubectl.ts';
import {waitUntil} from './wait.ts';

const GROUP = 'project.openshift.io';
const SERVICE = {namespace: 'default', name: 'gshift-e2e-project-api'};
const REQUESTER = 'openshift.io/requester';

export interface ProjectApi {
  stop(): Promise<void>;
}

const json = (status: number, body: unknown) => ({status, body});
const statusBody = (code: number, reason: string, message: string) => ({apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message});

/** Starts the server, registers it as v1.project.openshift.io and waits until the API server serves it. */
export async function startProjectApi(admin: Cluster): Promise<ProjectApi> {
  const dir = mkdtempSync(join(tmpdir(), 'gshift-project-api-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], {stdio: 'ignore'});

  async function answer(method: string, path: string, user: string, body: string): Promise<{status: number; body: unknown}> {
    if (method === 'GET' && path === `/apis/${GROUP}/v1`) {
      return json(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${GROUP}/v1`,
        resources: [
          {name: 'projectrequests', singularName: 'projectrequest', namespaced: false, kind: 'ProjectRequest', verbs: ['create', 'list']},
          {name: 'projects', singularName: 'project', namespaced: false, kind: 'Project', verbs: ['delete', 'get', 'list']},
        ],
      });
    }
    if (method === 'GET' && path === `/apis/${GROUP}`) return json(200, {kind: 'APIGroup', apiVersion: 'v1', name: GROUP, versions: [{groupVersion: `${GROUP}/v1`, version: 'v1'}], preferredVersion: {groupVersion: `${GROUP}/v1`, version: 'v1'}});
    if (method === 'POST' && path === `/apis/${GROUP}/v1/projectrequests`) {
      const name = (JSON.parse(body) as KubeObject).metadata.name!;
      if (await admin.get({apiVersion: 'v1', kind: 'Namespace', name})) return json(409, statusBody(409, 'AlreadyExists', `project.project.openshift.io "${name}" already exists`));
      await admin.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name, annotations: {[REQUESTER]: user}}});
      await admin.create({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: {name: 'admin', namespace: name},
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin'},
        subjects: [{apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user}],
      });
      // Answer once the requester's new rights are in force, as openshift-apiserver's request does.
      await waitUntil(async () => (await admin.create<{status?: {allowed?: boolean}}>({apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {}, spec: {user, resourceAttributes: {namespace: name, verb: 'create', group: 'networking.k8s.io', resource: 'networkpolicies'}}})).status?.allowed === true, {timeoutMs: 10_000, description: `admin rights of ${user} in ${name}`});
      return json(201, {apiVersion: `${GROUP}/v1`, kind: 'Project', metadata: {name, annotations: {[REQUESTER]: user}}, status: {phase: 'Active'}});
    }
    const project = new RegExp(`^/apis/${GROUP.replaceAll('.', '\\.')}/v1/projects/([a-z0-9-]+)$`).exec(path);
    if (project && method === 'DELETE') {
      const deleted = await admin.delete({apiVersion: 'v1', kind: 'Namespace', name: project[1]!});
      return deleted ? json(200, {apiVersion: 'v1', kind: 'Status', status: 'Success'}) : json(404, statusBody(404, 'NotFound', `project "${project[1]}" not found`));
    }
    return json(404, statusBody(404, 'NotFound', `${method} ${path} is not served here`));
  }

  const server: Server = createServer({key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem'))}, (request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const user = String(request.headers['x-remote-user'] ?? '');
      answer(request.method ?? 'GET', new URL(request.url ?? '/', 'https://localhost').pathname, user, body)
        .catch((error: unknown) => json(500, statusBody(500, 'InternalError', (error as Error).message)))
        .then(({status, body: answerBody}) => response.writeHead(status, {'content-type': 'application/json'}).end(JSON.stringify(answerBody)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const manifests = [
    {apiVersion: 'v1', kind: 'Service', metadata: SERVICE, spec: {type: 'ExternalName', externalName: '127.0.0.1', ports: [{port, targetPort: port}]}},
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: {name: `v1.${GROUP}`},
      spec: {group: GROUP, version: 'v1', service: {...SERVICE, port}, insecureSkipTLSVerify: true, groupPriorityMinimum: 1000, versionPriority: 15},
    },
  ];
  await kubectl(['apply', '--server-side', '--field-manager=gshift-e2e', '-f', '-'], {input: JSON.stringify({apiVersion: 'v1', kind: 'List', items: manifests})});
  await waitUntil(
    async () => {
      const service = await kubectlJson<{status?: {conditions?: {type: string; status: string}[]}}>(['get', 'apiservice', `v1.${GROUP}`]);
      return service.status?.conditions?.some((condition) => condition.type === 'Available' && condition.status === 'True') ?? false;
    },
    {timeoutMs: 60_000, description: `the APIService v1.${GROUP} to be available`},
  );
  return {
    async stop() {
      // An APIService whose server is gone would make every discovery after this test report an error.
      await kubectl(['delete', 'apiservice', `v1.${GROUP}`, '--ignore-not-found']);
      await kubectl(['delete', 'service', SERVICE.name, '-n', SERVICE.namespace, '--ignore-not-found']);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
