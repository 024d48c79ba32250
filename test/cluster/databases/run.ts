// node test/cluster/databases/run.ts start|stop — the database harness by hand, beside `npm run cluster:up`.
import { join } from 'node:path';
import { stateDir } from '../layout.ts';
import { ensureDatabaseServers, stopDatabaseServers } from './control.ts';

const [action] = process.argv.slice(2);
if (action === 'start') {
  // The default flavour's kubeconfig, the cluster the harness serves.
  process.stdout.write(`${JSON.stringify(await ensureDatabaseServers(join(stateDir, 'kubeconfig')), null, 2)}\n`);
} else if (action === 'stop') {
  stopDatabaseServers();
} else {
  process.stderr.write('usage: node test/cluster/databases/run.ts start|stop\n');
  process.exit(2);
}
