// npm run cluster:up [-- --flavour kubernetes]
//
// Starts the local test cluster (building the control plane first if the cache lacks it)
// and returns when its API server is ready. Safe to run again: a healthy cluster is reused.
import { FLAVOUR_NAMES, startCluster, type Flavour } from './cluster.ts';
import { clearOwner } from './ownership.ts';

function flavourFromArgs(argv: string[]): Flavour {
  const index = argv.findIndex((arg) => arg === '--flavour' || arg.startsWith('--flavour='));
  const value = index === -1 ? process.env.GSHIFT_TEST_FLAVOUR ?? 'openshift'
    : argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  if (argv.includes('--kubernetes')) return 'kubernetes';
  if (!FLAVOUR_NAMES.includes(value as Flavour)) {
    throw new Error(`unknown flavour ${JSON.stringify(value)}; use one of ${FLAVOUR_NAMES.join(', ')}`);
  }
  return value as Flavour;
}

try {
  const flavour = flavourFromArgs(process.argv.slice(2));
  const info = startCluster(flavour);
  // Started or adopted by hand: no test run may stop it at its end.
  clearOwner(flavour);
  process.stdout.write(`export KUBECONFIG=${info.kubeconfig}\n`);
} catch (error) {
  process.stderr.write(`[cluster:up] ${(error as Error).message}\n`);
  process.exit(1);
}
