import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One line of the bench table. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** value / baseline, when the row is compared with a baseline measured in the same run. */
  ratio?: number;
  baseline?: string;
  target?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall time of one run of a command, in milliseconds. */
export function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8'});
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return elapsed;
}

/**
 * Runs a command and the baseline alternately, so both see the same machine load, and gives the
 * medians and the median of the per-pair ratios.
 */
export function paired(
  subject: {command: string; args: string[]},
  baseline: {command: string; args: string[]},
  runs: number,
  warmups = 3,
): {subject: number; baseline: number; ratio: number} {
  for (let i = 0; i < warmups; i++) {
    timeCommand(subject.command, subject.args);
    timeCommand(baseline.command, baseline.args);
  }
  const subjectTimes: number[] = [];
  const baselineTimes: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const b = timeCommand(baseline.command, baseline.args);
    const s = timeCommand(subject.command, subject.args);
    subjectTimes.push(s);
    baselineTimes.push(b);
    ratios.push(s / b);
  }
  return {subject: median(subjectTimes), baseline: median(baselineTimes), ratio: median(ratios)};
}

export const nodeFloor = {command: process.execPath, args: ['-e', '0']};

/** gshift as built here, or another build to compare with (BENCH_GSHIFT=/path/to/bin/run.js). */
export function gshift(...args: string[]) {
  return {command: process.execPath, args: [process.env.BENCH_GSHIFT ?? join(repoRoot, 'bin', 'run.js'), ...args]};
}

/** The kubectl the test cluster built, if it is in the cache; else one on PATH. */
export function findKubectl(): string | undefined {
  const cache = process.env.GSHIFT_TEST_CLUSTER_CACHE ?? join(homedir(), '.cache', 'gshift-test-cluster');
  if (existsSync(cache)) {
    for (const entry of readdirSync(cache).sort().reverse()) {
      const candidate = join(cache, entry, 'bin', 'kubectl');
      if (existsSync(candidate)) return candidate;
    }
  }
  const onPath = spawnSync('sh', ['-c', 'command -v kubectl'], {encoding: 'utf8'}).stdout.trim();
  return onPath || undefined;
}
