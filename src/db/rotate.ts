import {createHash, createHmac, pbkdf2Sync, randomBytes} from 'node:crypto';

import type {PortForwardTunnel} from '../cluster/index.js';
import type {ApplyTracker} from '../converge/engine.js';
import type {Session} from '../core/session.js';
import {GshiftError} from '../errors.js';
import {type ClientCredentials, clientInvocation, requireClient} from './client-programs.js';
import {generatePassword} from './credentials.js';
import type {DatabaseServer} from './server-pod.js';

/**
 * `db credentials NAME --rotate`: a new password on the server (the user changes its own, through
 * a port-forward with the engine's client), then in the Secret (the same converge as `db create`,
 * so the URIs follow), then — the caller's part — a rollout of every attached app, then a login
 * check with the new password and a refusal of the old one. A leaked password is useless after.
 */
export interface Rotation {
  server: DatabaseServer;
  tunnel: PortForwardTunnel;
  client: string;
  old: ClientCredentials;
  next: ClientCredentials;
  secretChanged: boolean;
}

/**
 * The statement (or redis-cli arguments) that sets the logged-in user's password, on stdin: never
 * in an argument. MariaDB lets a user change its own password only with SET PASSWORD, MySQL 8
 * with ALTER USER USER() (its PASSWORD() is gone): `serverVersion` (SELECT VERSION()) decides.
 */
export function passwordChange(engine: DatabaseServer['engine']['name'], password: string, serverVersion = ''): {args: string[]; input: string} {
  if (engine === 'postgresql') return {args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1'], input: `ALTER ROLE CURRENT_USER PASSWORD '${scramVerifier(password)}';\n`};
  if (engine === 'redis') return {args: ['-x', 'CONFIG', 'SET', 'requirepass'], input: password};
  if (/mariadb/i.test(serverVersion)) return {args: [], input: `SET PASSWORD = PASSWORD('${password}');\n`};
  return {args: [], input: `ALTER USER USER() IDENTIFIED BY '${password}';\n`};
}

/**
 * PostgreSQL's SCRAM-SHA-256 verifier, as psql's \password computes it: the server stores it
 * as given, so the password itself never reaches the server or its logs.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A login through the tunnel: does this password work? */
export async function canLogIn(rotation: Pick<Rotation, 'server' | 'tunnel' | 'client'>, credentials: ClientCredentials): Promise<boolean> {
  const {execa} = await import('execa');
  const {args, env} = clientInvocation(rotation.server.engine.name, rotation.tunnel, credentials);
  const probe = rotation.server.engine.name === 'postgresql' ? ['-X', '-c', 'SELECT 1'] : rotation.server.engine.name === 'redis' ? ['PING'] : ['-e', 'SELECT 1'];
  const run = await execa(rotation.client, [...args, ...probe], {env, reject: false, stdin: 'ignore'});
  // redis-cli exits 0 even when AUTH fails: the reply says.
  return run.exitCode === 0 && (rotation.server.engine.name !== 'redis' || run.stdout.trim() === 'PONG');
}

/** The server and the Secret get the new password; the tunnel stays open for the login check. */
export async function rotatePassword(session: Session, database: string, options: {tooling: string}, tracker?: ApplyTracker): Promise<Rotation> {
  const [{databaseServer}, {readClientCredentials}, {execa}] = await Promise.all([import('./server-pod.js'), import('./connect.js'), import('execa')]);
  const {cluster, target} = session;
  const server = await databaseServer(cluster, target.namespace, database);
  if (server.record.inputs?.ha) {
    throw new GshiftError('USAGE', `Database ${database} is a CloudNativePG cluster, whose owner password the operator manages from Secret ${database}-owner.`, {
      hint: `change the password in Secret ${database}-owner and let the operator apply it; gshift rotates single-server databases only.`,
      details: {database},
    });
  }
  // Checked before anything changes: the change and the checks need the engine's client here.
  const client = requireClient(server.engine.name, 'connect');
  const old = await readClientCredentials(cluster, server);
  const next = {...old, password: generatePassword()};
  const tunnel = await cluster.portForward(target.namespace, server.pod, server.port);
  const setPassword = async (from: ClientCredentials, to: string) => {
    const {args, env} = clientInvocation(server.engine.name, tunnel, from);
    const version = server.engine.sql && server.engine.name !== 'postgresql' ? (await execa(client, [...args, '-N', '-B', '-e', 'SELECT VERSION()'], {env, reject: false, stdin: 'ignore'})).stdout : '';
    const change = passwordChange(server.engine.name, to, version);
    const run = await execa(client, [...args, ...change.args], {env, reject: false, input: change.input});
    const refused = server.engine.name === 'redis' && run.stdout.trim() !== 'OK';
    if (run.exitCode !== 0 || refused) {
      const reason = `${run.stderr} ${run.stdout}`.split('\n').map((line) => line.trim()).filter((line) => line && !line.includes(to) && !line.includes(from.password)).slice(-2).join(' ');
      throw new GshiftError('SERVER', `The database server of ${database} did not take the new password${reason ? `: ${reason.slice(0, 300)}` : '.'}`, {
        hint: 'nothing was changed; check the database with gshift db connect and run the rotation again.',
        details: {database, exitCode: run.exitCode},
      });
    }
  };
  try {
    await setPassword(old, next.password);
  } catch (error) {
    await tunnel.close();
    throw error;
  }
  let secretChanged: boolean;
  try {
    const {createDatabase} = await import('./create.js');
    const record = server.record;
    const result = await createDatabase(session, {flags: {name: database, engine: record.inputs?.engine ?? server.engine.name, namespace: target.namespace}, tooling: options.tooling, password: next.password}, tracker);
    secretChanged = result.changed;
  } catch (error) {
    // The Secret still has the old password: the server must too, or every app is locked out.
    await setPassword(next, old.password).catch(() => undefined);
    await tunnel.close();
    throw error;
  }
  return {server, tunnel, client, old, next, secretChanged};
}
