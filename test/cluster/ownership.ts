// Which test run started which cluster, so that a run stops only what it started and
// leaves a cluster started by hand (npm run cluster:up) running.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Flavour } from './cluster.ts';
import { stateDir } from './layout.ts';

function ownerFile(flavour: Flavour): string {
  return join(stateDir, `${flavour}.started-by-test-run`);
}

export function recordOwner(flavour: Flavour, runId: string): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(ownerFile(flavour), runId);
}

export function isOwnedBy(flavour: Flavour, runId: string | undefined): boolean {
  return Boolean(runId) && existsSync(ownerFile(flavour)) && readFileSync(ownerFile(flavour), 'utf8') === runId;
}

export function clearOwner(flavour: Flavour): void {
  rmSync(ownerFile(flavour), { force: true });
}
