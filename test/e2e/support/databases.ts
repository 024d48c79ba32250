// Real database servers for the e2e tests (test/cluster/databases/): a test file that creates
// `gshift db` databases calls databaseServers() first (their pods are Ready only once served),
// and talks to them with the engines' own clients.
import {spawn} from 'node:child_process';
import {ensureDatabaseServers, type HarnessState} from '../../cluster/databases/control.ts';
import {TEST_KUBECONFIG} from './cluster.ts';

export type {HarnessState} from '../../cluster/databases/control.ts';

/** Starts the harness (installing the servers first when missing) unless it runs. */
export function databaseServers(): Promise<HarnessState> {
  return ensureDatabaseServers(TEST_KUBECONFIG);
}

export type Login = {port: number; username: string; password: string; dbname?: string};

export type ClientResult = {code: number; stdout: string; stderr: string};

function runClient(command: string, args: string[], env: Record<string, string>, input = ''): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env: {...process.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code: code ?? -1, stdout, stderr});
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** SQL through psql on 127.0.0.1:port, unaligned output without headers. */
export function psql(login: Login, sql: string): Promise<ClientResult> {
  return runClient('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(login.port), '-U', login.username, '-d', login.dbname ?? login.username], {PGPASSWORD: login.password, PGCONNECT_TIMEOUT: '10'}, sql);
}

/** SQL through the MariaDB client (which speaks to MySQL too) on 127.0.0.1:port, tab-separated without headers. */
export function mariadb(login: Login, sql: string): Promise<ClientResult> {
  return runClient('mariadb', ['-h', '127.0.0.1', '-P', String(login.port), '--protocol=TCP', '-u', login.username, '-N', '-B', login.dbname ?? ''], {MYSQL_PWD: login.password}, sql);
}

/** One command through redis-cli on 127.0.0.1:port. */
export function redisCli(login: Pick<Login, 'port' | 'password'>, ...command: string[]): Promise<ClientResult> {
  return runClient('redis-cli', ['-h', '127.0.0.1', '-p', String(login.port), ...command], {REDISCLI_AUTH: login.password});
}
