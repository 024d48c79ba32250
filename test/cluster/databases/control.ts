// Starting and stopping the database harness (daemon.ts) beside the test cluster. Tests that
// need real database servers call ensureDatabaseServers(); the harness then runs until the
// cluster stops (stopCluster, npm run cluster:down) and is reused by later runs meanwhile.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterDir } from '../go.ts';
import { stateDir } from '../layout.ts';
import { ensureDatabasePackages } from './packages.ts';
import type { Engine } from './pods.ts';
import type { ServerInfo } from './servers.ts';
import { alive, sleepSync } from '../pids.ts';

/** What the harness writes to its state file (daemon.ts). */
export type HarnessState = {
  pid: number;
  /** The servers' data, in a temporary directory. */
  dir: string;
  ready: boolean;
  error?: string;
  servers: ServerInfo[];
  /** namespace/pod → how it is served. */
  pods: Record<string, { engine: Engine; port: number; volume: string }>;
};

const harnessDir = join(stateDir, 'databases');
const stateFile = join(harnessDir, 'state.json');
const logFile = join(harnessDir, 'daemon.log');
const daemonScript = join(clusterDir, 'databases', 'daemon.ts');

function log(message: string) {
  process.stderr.write(`[databases] ${message}\n`);
}

export function readHarnessState(): HarnessState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as HarnessState;
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

const isDaemon = (state: HarnessState | undefined) => Boolean(state && cmdline(state.pid).includes(daemonScript));

/** A recorded server pid may have been reused: only processes that are the harness's servers. */
function isServer(state: HarnessState, server: HarnessState['servers'][number]): boolean {
  const command = cmdline(server.pid);
  return command.includes(state.dir) || command.includes(server.dir);
}

/**
 * Installs the servers when missing (apt-get, as root), starts the harness unless a healthy one
 * runs for this checkout's cluster, and resolves once PostgreSQL and MariaDB accept connections.
 */
export async function ensureDatabaseServers(kubeconfig: string): Promise<HarnessState> {
  const running = readHarnessState();
  if (running?.ready && isDaemon(running)) return running;
  stopDatabaseServers();
  ensureDatabasePackages();
  mkdirSync(harnessDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'gshift-db-servers-'));
  // The servers run as the packages' users (postgres, mysql), who must reach their directories.
  chmodSync(dataDir, 0o755);
  const t0 = Date.now();
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, [daemonScript, kubeconfig, stateFile, dataDir], { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
  } finally {
    closeSync(fd);
  }
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const state = readHarnessState();
    if (state?.ready && state.dir === dataDir) {
      log(`PostgreSQL and MariaDB ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (${dataDir})`);
      return state;
    }
    const failed = state?.dir === dataDir ? state.error : undefined;
    if (failed || Date.now() > deadline || (state?.dir === dataDir && !isDaemon(state))) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
      throw new Error(`the database servers did not start (${failed ?? 'timed out'}); last lines of ${logFile}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Stops the harness and its servers (by the pids it recorded) and removes their data. Idempotent. */
export function stopDatabaseServers(): void {
  const state = readHarnessState();
  if (!state) return;
  const servers = state.servers.filter((server) => isServer(state, server));
  if (isDaemon(state)) process.kill(state.pid, 'SIGTERM');
  // Without the harness (it died), its servers are stopped here: SIGINT is PostgreSQL's fast shutdown.
  else for (const server of servers) process.kill(server.pid, server.engine === 'postgresql' ? 'SIGINT' : 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while ((alive(state.pid) || servers.some((server) => alive(server.pid))) && Date.now() < deadline) sleepSync(100);
  for (const server of servers.filter((candidate) => alive(candidate.pid) && isServer(state, candidate))) process.kill(server.pid, 'SIGKILL');
  if (isDaemon(state)) process.kill(state.pid, 'SIGKILL');
  if (state.dir.startsWith(join(tmpdir(), 'gshift-db-servers-'))) rmSync(state.dir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
}

