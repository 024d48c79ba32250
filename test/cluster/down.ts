// npm run cluster:down
//
// Stops every test cluster of this checkout (all flavours) and removes .cluster/.
// Safe to run when nothing is running.
import { stopAll } from './cluster.ts';

try {
  stopAll();
  process.stderr.write('[cluster:down] stopped; .cluster/ removed\n');
} catch (error) {
  process.stderr.write(`[cluster:down] ${(error as Error).message}\n`);
  process.exit(1);
}
