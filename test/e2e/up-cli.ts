// Running `gshift up`, `diff` and `init` against the test cluster as a CI job would (no
// terminal, CI=1), each test with a tenant of its own, and counting what a run wrote from the
// API server's audit log (test/cluster/audit.ts).
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {WRITE_VERBS, auditEventsSince, auditMark, type AuditEvent} from '../cluster/audit.ts';
import {repoRoot, runCli, type CliResult} from '../support/cli.ts';
import {TEST_KUBECONFIG} from './support/index.ts';

export {auditMark} from '../cluster/audit.ts';
export {envelope, output} from './app-cli.ts';

/** A tenant name no other run uses, and a directory for its files. */
export function newTenant(prefix: string): {name: string; dir: string; file: (name: string, text: string) => string; cleanup: () => void} {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), `gshift-${prefix}-`));
  return {
    name,
    dir,
    file: (file, text) => {
      writeFileSync(join(dir, file), text);
      return join(dir, file);
    },
    cleanup: () => {
      gshiftIn(dir, ['tenant', 'delete', name, '--yes', '--no-wait']);
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

const ciEnvironment = (dir: string) => ({KUBECONFIG: TEST_KUBECONFIG, CI: '1', GSHIFT_TENANT: '', GSHIFT_ENV: '', GSHIFT_NAMESPACE: '', GSHIFT_CONFIG: '', XDG_CONFIG_HOME: dir});

/** gshift in a directory (where gshift.yaml is found), as CI runs it. */
export function gshiftIn(dir: string, args: string[], options: {timeoutMs?: number} = {}): CliResult {
  return runCli(args, {cwd: dir, timeoutMs: options.timeoutMs ?? 240_000, env: ciEnvironment(dir)});
}

/** The same, in the background: for a test that plays a controller while gshift waits for it. */
export function startGshiftIn(dir: string, args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {cwd: dir, env: {...process.env, ...ciEnvironment(dir), NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({stdout, stderr, status: code ?? (signal ? 128 : -1)})));
}

/** The writes gshift sent since the mark in the tenant's namespaces (and to them), dry runs left out: they save nothing. */
export function gshiftWritesSince(mark: number, tenant: string): AuditEvent[] {
  return auditEventsSince(mark).filter(
    (event) =>
      event.userAgent?.startsWith('gshift') &&
      WRITE_VERBS.has(event.verb) &&
      !event.requestURI.includes('dryRun=All') &&
      ((event.objectRef?.namespace ?? '').startsWith(`${tenant}-`) || (event.objectRef?.resource === 'namespaces' && (event.objectRef.name ?? '').startsWith(`${tenant}-`))),
  );
}

/** The requests (reads too) gshift sent since the mark. */
export function gshiftRequestsSince(mark: number): AuditEvent[] {
  return auditEventsSince(mark).filter((event) => event.userAgent?.startsWith('gshift'));
}
