import {GshiftError} from '../errors.js';
import {ApiStatusError} from './api-errors.js';
import type {ServerVersion} from './index.js';
import type {Transport} from './transport.js';

/**
 * The server's version (GET /version), read as a Kubernetes API server answers it. A server that
 * answers otherwise (a web console's URL, a proxy's page) is named as such, not as a missing
 * object; any other failure is the caller's to describe (`fail`).
 */
export async function readServerVersion(transport: Transport, at: {server: string; context: string}, fail: (error: unknown) => GshiftError): Promise<ServerVersion> {
  let text: string;
  try {
    text = await (await transport.send({method: 'GET', path: '/version', accept: 'application/json'})).text();
  } catch (error) {
    if (error instanceof ApiStatusError && [404, 405].includes(error.status)) throw notAnApiServer(at, `GET /version answered ${error.status}`);
    throw fail(error);
  }
  let version: Partial<ServerVersion> | undefined;
  try {
    version = JSON.parse(text) as Partial<ServerVersion>;
  } catch {
    throw notAnApiServer(at, 'GET /version answered with something other than JSON, such as a web page');
  }
  if (typeof version?.gitVersion !== 'string') throw notAnApiServer(at, 'GET /version answered JSON without a gitVersion');
  return version as ServerVersion;
}

/** The server answers, but not as a Kubernetes API server (a console URL, a proxy's page). */
function notAnApiServer({server, context}: {server: string; context: string}, evidence: string): GshiftError {
  return new GshiftError('UNREACHABLE', `The server at ${server} answers, but it is not a Kubernetes API server (${evidence}).`, {
    hint: `point context ${context} at the cluster's API server (often https://api.<cluster>:6443, not the web console): oc login <api-url>, or fix its server in the kubeconfig.`,
    details: {server, context},
  });
}
