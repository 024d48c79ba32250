#!/usr/bin/env node
// Starts oclif and nothing else. The compile cache makes every later start faster.
import module from 'node:module';
module.enableCompileCache?.();
// A reader that stops early (`gshift … | head -1`) is done, not failed: exit 0, quietly, as
// cat and kubectl do. One handler for every command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
// Only the entry point: the full @oclif/core index is loaded by a command when one runs.
const {execute} = await import('@oclif/core/execute');
await execute({dir: import.meta.url});
