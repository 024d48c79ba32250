// npm run bench: start-up and render speed, each beside the baseline measured in the same run.
// Ratios, not absolute times, are what to compare between machines.
import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

import {type BenchRow, repoRoot} from './measure.ts';
import {startupRows} from './startup.ts';

const runs = Number(process.env.BENCH_RUNS ?? 21);

if (!existsSync(join(repoRoot, 'dist', 'commands'))) {
  console.error('bench: dist/ is missing; run `npm run build` first.');
  process.exit(2);
}

// `npm run bench -- logs`, `-- db` or `-- up` (or BENCH=logs|db|up): only that benchmark, which
// needs the test cluster (db its real database servers too) and minutes; none runs by default.
// `npm run bench -- cluster` (or BENCH=cluster): only the cluster rows (status, app create).
const OPT_IN = ['logs', 'db', 'up'];
const only = [...OPT_IN, 'cluster'].find((name) => process.argv.includes(name) || process.env.BENCH === name);
const rows: BenchRow[] = only ? [] : [...startupRows(runs)];

// Other bench modules (render, apply, …) export `rows(runs)` returning BenchRow[]. Helpers and the
// scripts the benchmarks start in processes of their own are not rows.
const NOT_ROWS = ['run.ts', 'measure.ts', 'startup.ts', 'request-trace.ts', 'rollout-clock.ts'];
for (const file of readdirSync(join(repoRoot, 'bench')).sort()) {
  if (NOT_ROWS.includes(file) || !file.endsWith('.ts')) continue;
  const name = file.replace(/\.ts$/, '');
  if (only ? name !== only : OPT_IN.includes(name)) continue;
  const module = (await import(pathToFileURL(join(repoRoot, 'bench', file)).href)) as {rows?: (runs: number) => Promise<BenchRow[]> | BenchRow[]};
  if (module.rows) rows.push(...(await module.rows(runs)));
}

const format = (row: BenchRow) => [
  row.name,
  Number.isNaN(row.value) ? 'n/a' : `${row.value >= 100 ? row.value.toFixed(0) : row.value.toFixed(1)} ${row.unit}`,
  row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}× ${row.baseline ?? ''}`.trim(),
  row.target ?? '',
];
const table = [['benchmark', 'median', 'ratio', 'target'], ...rows.map(format)];
const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
console.log(only ? `node ${process.version}, ${only} benchmark\n` : `node ${process.version}, ${runs} paired runs\n`);
for (const [index, row] of table.entries()) {
  console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
}
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
