import {type BenchRow, findKubectl, gshift, nodeFloor, paired} from './measure.ts';

/** Start-up: what a user feels on every single command. Target ≤ 4× `node -e 0`. */
export function startupRows(runs: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const cases: [string, string[]][] = [
    ['gshift --version', ['--version']],
    ['gshift app --help', ['app', '--help']],
  ];
  let floor = 0;
  for (const [name, args] of cases) {
    const result = paired(gshift(...args), nodeFloor, runs);
    floor = result.baseline;
    rows.push({name, value: result.subject, unit: 'ms', ratio: result.ratio, baseline: 'node -e 0', target: '≤ 4×'});
  }
  rows.push({name: 'node -e 0 (floor)', value: floor, unit: 'ms'});
  const kubectl = findKubectl();
  if (kubectl) {
    const result = paired({command: kubectl, args: ['version', '--client']}, nodeFloor, runs);
    rows.push({name: 'kubectl version --client (reference)', value: result.subject, unit: 'ms', ratio: result.ratio, baseline: 'node -e 0'});
  } else {
    rows.push({name: 'kubectl version --client (reference)', value: Number.NaN, unit: 'ms (kubectl not built yet: npm run cluster:build)'});
  }
  return rows;
}
