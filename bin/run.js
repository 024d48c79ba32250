#!/usr/bin/env node
// Starts oclif and nothing else. The compile cache makes every later start faster.
import module from 'node:module';
module.enableCompileCache?.();
const {execute} = await import('@oclif/core');
await execute({dir: import.meta.url});
