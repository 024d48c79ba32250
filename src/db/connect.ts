import type {Cluster, PortForwardOptions, PortForwardTunnel} from '../cluster/index.js';
import {notFoundError} from '../errors.js';
import type {ClientCredentials} from './client-programs.js';
import {type DatabaseServer, databaseServer} from './server-pod.js';

/** A port-forward to a database's server, and the credentials to log in through it. */
export interface DatabaseTunnel {
  server: DatabaseServer;
  credentials: ClientCredentials;
  tunnel: PortForwardTunnel;
}

/** The credentials in the database's Secret (never printed: callers hand them to a client by environment). */
export async function readClientCredentials(cluster: Cluster, server: Pick<DatabaseServer, 'namespace' | 'secret' | 'record'>): Promise<ClientCredentials> {
  const {secretValues} = await import('../app/secret-values.js');
  const secret = await cluster.get({apiVersion: 'v1', kind: 'Secret', name: server.secret, namespace: server.namespace});
  const values = secret ? secretValues(secret) : {};
  if (!values.password) {
    throw notFoundError(`Database ${server.record.name} has no password in Secret ${server.secret}.`, `gshift db create ${server.record.name} writes its credentials again.`, {database: server.record.name, secret: server.secret});
  }
  return {username: values.username ?? 'default', password: values.password, ...(values.dbname ? {dbname: values.dbname} : {})};
}

/**
 * `db connect`: finds the pod that serves the database (it must be ready), reads the
 * credentials, and opens a port-forward to the server through the API server.
 */
export async function openDatabaseTunnel(cluster: Cluster, namespace: string, name: string, options: PortForwardOptions = {}): Promise<DatabaseTunnel> {
  const server = await databaseServer(cluster, namespace, name);
  const credentials = await readClientCredentials(cluster, server);
  const tunnel = await cluster.portForward(namespace, server.pod, server.port, options);
  return {server, credentials, tunnel};
}
