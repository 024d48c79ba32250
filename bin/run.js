#!/usr/bin/env node
// Starts oclif and nothing else. The compile cache makes every later start faster.
import module from 'node:module';
module.enableCompileCache?.();
// Only the entry point: the full @oclif/core index is loaded by a command when one runs.
const {execute} = await import('@oclif/core/execute');
await execute({dir: import.meta.url});
