import {describe, expect, it} from '@jest/globals';
import {ApiException} from '@kubernetes/client-node';

import {ApiStatusError, toClusterError, type KubeStatus} from '../../../src/cluster/api-errors.js';
import {GshiftError} from '../../../src/errors.js';

const SERVER = 'https://api.example.gov:6443';
const deployment = {apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop-dev'};

function status(code: number, reason: string, message: string, details?: KubeStatus['details']): KubeStatus {
  return {kind: 'Status', status: 'Failure', code, reason, message, ...(details ? {details} : {})};
}

/** `ref` null: a request about the cluster itself (version, discovery). */
const mapped = (error: unknown, verb = 'create', ref: object | null = deployment) => toClusterError(error, {verb, ref: ref ?? undefined, server: SERVER});

/** Node's error for a failed socket, as undici's fetch wraps it. */
function fetchFailure(code: string, message = `connect ${code} 10.0.0.1:6443`): TypeError {
  return new TypeError('fetch failed', {cause: Object.assign(new Error(message), {code, syscall: 'connect'})});
}

describe('mapping API answers to gshift errors', () => {
  it('401: the cluster did not accept the credentials', () => {
    const error = mapped(new ApiStatusError(401, status(401, 'Unauthorized', 'Unauthorized')));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe(`The cluster at ${SERVER} did not accept your credentials.`);
    expect(error.hint).toMatch(/^log in again/);
  });

  it('403 from RBAC: names the user, verb, resource and namespace from the Status message', () => {
    const message = 'deployments.apps "web" is forbidden: User "alice" cannot create resource "deployments" in API group "apps" in the namespace "shop-dev"';
    const error = mapped(new ApiStatusError(403, status(403, 'Forbidden', message, {name: 'web', group: 'apps', kind: 'deployments'})));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('You (alice) may not create deployments.apps in namespace "shop-dev".');
    expect(error.hint).toBe('ask a tenant admin for access to namespace "shop-dev", or check the context with gshift status.');
    expect(error.details).toMatchObject({user: 'alice', verb: 'create', resource: 'deployments.apps', namespace: 'shop-dev'});
  });

  it('403 at cluster scope and for the core group', () => {
    const message = 'namespaces is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "namespaces" in API group "" at the cluster scope';
    const error = mapped(new ApiStatusError(403, status(403, 'Forbidden', message)), 'list', {apiVersion: 'v1', kind: 'Namespace'});
    expect(error.message).toBe('You (system:serviceaccount:ci:deployer) may not list namespaces at cluster scope.');
    expect(error.hint).toMatch(/^ask a cluster admin/);
  });

  it('403 on a path (not a resource), e.g. an anonymous user asking for /version', () => {
    const error = mapped(new ApiStatusError(403, status(403, 'Forbidden', 'forbidden: User "system:anonymous" cannot get path "/version"')), 'report its version', null);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('You (system:anonymous) may not get /version on the cluster.');
    expect(error.hint).toBe('log in: the cluster sees no credentials from this context.');
  });

  it('requests about the cluster itself name no object', () => {
    expect(mapped(new ApiStatusError(500, status(500, 'InternalError', 'boom')), 'list its APIs', null).message).toBe(`The cluster at ${SERVER} failed to list its APIs (500: boom).`);
  });

  it('403 from admission (Pod Security, quota) is a rejection of the object, not missing permission', () => {
    const message = 'pods "web" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true)';
    const error = mapped(new ApiStatusError(403, status(403, 'Forbidden', message)), 'create', {apiVersion: 'v1', kind: 'Pod', name: 'web', namespace: 'shop-dev'});
    expect(error.code).toBe('REJECTED');
    expect(error.message).toBe(
      'The cluster refused to create Pod "web" in namespace "shop-dev": violates PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true).',
    );
  });

  it('404: names the object and its namespace', () => {
    const error = mapped(new ApiStatusError(404, status(404, 'NotFound', 'deployments.apps "web" not found', {name: 'web', group: 'apps', kind: 'deployments'})), 'get');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.exitCode).toBe(6);
    expect(error.message).toBe('Deployment "web" was not found in namespace "shop-dev".');
  });

  it('404 for a missing namespace points at gshift tenant create', () => {
    const error = mapped(new ApiStatusError(404, status(404, 'NotFound', 'namespaces "shop-dev" not found', {name: 'shop-dev', kind: 'namespaces'})));
    expect(error.message).toBe('The namespace "shop-dev" does not exist.');
    expect(error.hint).toBe('create it with gshift tenant create, or pick another namespace with -n.');
  });

  it('404 for a resource type the server does not serve', () => {
    const error = mapped(new ApiStatusError(404, status(404, 'NotFound', 'the server could not find the requested resource')), 'list', {apiVersion: 'route.openshift.io/v1', kind: 'Route'});
    expect(error.message).toBe('The cluster does not serve Route (route.openshift.io/v1).');
  });

  it('409 AlreadyExists', () => {
    const error = mapped(new ApiStatusError(409, status(409, 'AlreadyExists', 'deployments.apps "web" already exists', {name: 'web', kind: 'deployments'})));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Deployment "web" in namespace "shop-dev" already exists.');
  });

  it('409 from server-side apply names the other field manager and the fields, and suggests --force-conflicts', () => {
    const body = status(409, 'Conflict', 'Apply failed with 2 conflicts: conflict with "kubectl-edit" using apps/v1: .spec.replicas; conflict with "hpa-controller": .spec.template', {
      causes: [
        {reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas'},
        {reason: 'FieldManagerConflict', message: 'conflict with "hpa-controller"', field: '.spec.template.spec.containers[name="web"].resources'},
      ],
    });
    const error = mapped(new ApiStatusError(409, body), 'apply');
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      'Applying Deployment "web" in namespace "shop-dev" would overwrite .spec.replicas, .spec.template.spec.containers[name="web"].resources, which "kubectl-edit", "hpa-controller" last set.',
    );
    expect(error.hint).toMatch(/^re-run with --force-conflicts/);
    expect(error.details?.conflicts).toEqual([
      {manager: 'kubectl-edit', field: '.spec.replicas'},
      {manager: 'hpa-controller', field: '.spec.template.spec.containers[name="web"].resources'},
    ]);
  });

  it('409 from a stale resourceVersion asks to run again', () => {
    const error = mapped(new ApiStatusError(409, status(409, 'Conflict', 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again')), 'update');
    expect(error.message).toBe('Deployment "web" in namespace "shop-dev" was changed by someone else while gshift was updating it.');
  });

  it('422: the first field cause in the sentence, all causes in details', () => {
    const body = status(422, 'Invalid', 'Deployment.apps "web" is invalid: [spec.template.spec.containers[0].image: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]', {
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [
        {reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image'},
        {reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas'},
      ],
    });
    const error = mapped(new ApiStatusError(422, body), 'apply');
    expect(error.code).toBe('REJECTED');
    expect(error.exitCode).toBe(10);
    expect(error.message).toBe('The cluster rejected Deployment "web" in namespace "shop-dev": spec.template.spec.containers[0].image: Required value (and 1 more problem).');
    expect(error.details?.causes).toEqual([
      {field: 'spec.template.spec.containers[0].image', message: 'Required value', reason: 'FieldValueRequired'},
      {field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0', reason: 'FieldValueInvalid'},
    ]);
  });

  it('410 Gone: the version asked for has expired, so the command should run again', () => {
    const error = mapped(new ApiStatusError(410, status(410, 'Expired', 'too old resource version: 13 (14)')), 'watch');
    expect(error.code).toBe('SERVER');
    expect(error.message).toBe('The cluster no longer has the version of Deployment "web" in namespace "shop-dev" gshift asked for (410 Gone).');
    expect(error.hint).toBe('run the command again.');
  });

  it('429: throttled, with the retry delay in details', () => {
    const error = mapped(new ApiStatusError(429, status(429, 'TooManyRequests', 'Too many requests, please try again later.'), 3));
    expect(error.code).toBe('SERVER');
    expect(error.message).toBe(`The cluster at ${SERVER} is throttling requests (429 Too Many Requests).`);
    expect(error.details?.retryAfterSeconds).toBe(3);
  });

  it('5xx: the server failed, with its message', () => {
    const error = mapped(new ApiStatusError(503, status(503, 'ServiceUnavailable', 'etcdserver: leader changed')), 'apply');
    expect(error.code).toBe('SERVER');
    expect(error.exitCode).toBe(12);
    expect(error.message).toBe(`The cluster at ${SERVER} failed to apply Deployment "web" in namespace "shop-dev" (503: etcdserver: leader changed).`);
  });

  it("reads client-node's ApiException, whose body may be a Status object or its JSON text", () => {
    const body = status(404, 'NotFound', 'deployments.apps "web" not found', {name: 'web', kind: 'deployments'});
    expect(mapped(new ApiException(404, 'Not Found', body, {}), 'get').code).toBe('NOT_FOUND');
    expect(mapped(new ApiException(409, 'Conflict', JSON.stringify(status(409, 'AlreadyExists', 'exists')), {})).message).toContain('already exists');
  });

  it('never copies credentials into the message or details', () => {
    const exception = new ApiException(401, 'Unauthorized', status(401, 'Unauthorized', 'Unauthorized'), {authorization: 'Bearer sekret-token', 'www-authenticate': 'Bearer'});
    const error = mapped(exception);
    expect(JSON.stringify({message: error.message, hint: error.hint, details: error.details})).not.toContain('sekret-token');
  });

  it('keeps a GshiftError as it is', () => {
    const original = new GshiftError('USAGE', 'Bad input.');
    expect(mapped(original)).toBe(original);
  });
});

describe('mapping connection failures', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'the host name does not resolve'],
    ['EAI_AGAIN', 'DNS lookup failed'],
    ['ETIMEDOUT', 'connection timed out'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connection timed out'],
    ['ECONNRESET', 'connection reset'],
    ['EHOSTUNREACH', 'no route to host'],
  ])('%s → UNREACHABLE naming the address', (code, why) => {
    const error = mapped(fetchFailure(code));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`Cannot reach the cluster at ${SERVER} (${why}).`);
  });

  it('finds the code inside an AggregateError (both addresses of a dual-stack host refused)', () => {
    const aggregate = Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:6443'), {code: 'ECONNREFUSED'})], ''), {code: 'ECONNREFUSED'});
    expect(mapped(new TypeError('fetch failed', {cause: aggregate})).message).toContain('(connection refused)');
  });

  it.each([
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'its certificate is self-signed and not trusted'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'its certificate is not signed by an authority gshift trusts'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'its certificate is not signed by an authority gshift trusts'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'its certificate is not valid for that host name'],
    ['CERT_HAS_EXPIRED', 'its certificate has expired'],
  ])('TLS %s → UNREACHABLE, "securely"', (code, why) => {
    const error = mapped(fetchFailure(code, 'certificate problem'));
    expect(error.code).toBe('UNREACHABLE');
    expect(error.message).toBe(`Cannot reach the cluster at ${SERVER} securely (${why}).`);
    expect(error.hint).toMatch(/certificate-authority/);
  });

  it('a request that timed out → UNREACHABLE; an abort the user asked for → INTERRUPTED', () => {
    expect(mapped(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).message).toBe(`Cannot reach the cluster at ${SERVER} (no answer in time).`);
    expect(mapped(new DOMException('This operation was aborted', 'AbortError')).code).toBe('INTERRUPTED');
  });

  it('anything else is a bug, with the cause kept for --debug', () => {
    const bug = new TypeError('Cannot read properties of undefined');
    const error = mapped(bug);
    expect(error.code).toBe('INTERNAL');
    expect(error.cause).toBe(bug);
  });
});
