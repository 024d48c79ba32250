#!/usr/bin/env node
// Starts oclif and nothing else.
import module from 'node:module';

// `gshift logs` holds many streams for as long as it follows them, so it runs lean: a 1 MiB
// young generation, no optimizing compilers (the baseline one, Sparkplug, stays: following 50
// pods it gives a fifth more lines per second for 1.5 MiB), V8's size-over-speed heuristics.
// With 50 pods its peak RSS drops by about a third, for the price of one more node start and
// more CPU per line. V8 takes these only at start-up, hence the new process image (same pid,
// stdio and signals). Not --lite-mode, which would also take WebAssembly, and with it the type
// stripping that loads a gshift.config.ts.
const LEAN = ['--max-semi-space-size=1', '--no-opt', '--no-maglev', '--optimize-for-size'];
if (process.argv[2] === 'logs' && typeof process.execve === 'function' && process.platform !== 'win32' && !LEAN.every((flag) => process.execArgv.includes(flag))) {
  process.execve(process.execPath, [process.execPath, ...LEAN, ...process.execArgv, ...process.argv.slice(1)], process.env);
}
// The compile cache makes every later start faster (except the lean logs process: it costs RSS).
if (process.argv[2] !== 'logs') module.enableCompileCache?.();

// Every command imports files of dist/bundle/ (the bundle's chunks, ES modules importing each
// other by relative path: some 50 for app create --wait), and Node's resolver spends about a
// quarter of a millisecond on each: URL parsing, a stat and a realpath per file, then a walk up
// the directories for the nearest package.json to learn that a .js file is an ES module. Within the bundle the answer is known:
// the file next to the importer, an ES module. So the bundle's imports of its own files, and of
// Node's builtins, are answered here; everything else (dependencies left out of the bundle,
// config files) goes through Node's resolver as before. app create --dry-run starts 10-20 ms
// sooner. Node 22.15 and later; without registerHooks, Node resolves everything.
const bundle = new URL('../dist/bundle/', import.meta.url).href;
module.registerHooks?.({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('node:')) return {url: specifier, format: 'builtin', shortCircuit: true};
    const parent = context.parentURL;
    if (parent?.startsWith(bundle) && specifier.endsWith('.js')) {
      const url = specifier.startsWith('./') || specifier.startsWith('../') ? new URL(specifier, parent).href : specifier;
      if (url.startsWith(bundle)) return {url, format: 'module', shortCircuit: true};
    }
    return nextResolve(specifier, context);
  },
});

// A reader that stops early (`gshift … | head -1`) is done, not failed: exit 0, quietly, as
// cat and kubectl do. One handler for every command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
// oclif sorts its command ids with localeCompare as it loads them, and the first localeCompare of
// a process loads ICU's collation: 15-20 ms of every start. The ids are lowercase ASCII words,
// which code-point order sorts alike; the init hook (src/hooks/init.ts) puts localeCompare back
// before version, help or any command runs.
const localeCompare = String.prototype.localeCompare;
globalThis[Symbol.for('gshift.localeCompare')] = localeCompare;
String.prototype.localeCompare = function (that, ...rest) {
  const self = String(this);
  const other = String(that);
  return rest.length > 0 ? localeCompare.call(self, that, ...rest) : self < other ? -1 : self > other ? 1 : 0;
};

// With --debug a stack trace names gshift's modules, not the bundle's chunks.
if (process.argv.includes('--debug') || process.env.GSHIFT_DEBUG || process.env.DEBUG) process.setSourceMapsEnabled(true);
// oclif's entry point, bundled with every command and hook (scripts/bundle.ts).
const {execute, commandRoots} = await import('../dist/bundle/main.js');
// Shell completion is a plugin (@oclif/plugin-autocomplete), and oclif loads a plugin at every
// start, matching its name against every dependency (some milliseconds). It is loaded where it
// is used or shown: its own commands, help, the command list, and a command gshift does not know.
const first = process.argv[2];
const completion = first === undefined || first === '--help' || first === '-h' || first === 'help' || first.startsWith('autocomplete') || !commandRoots.has(first.split(':')[0]);
await execute({dir: import.meta.url, loadOptions: completion ? {pluginAdditions: {core: ['@oclif/plugin-autocomplete']}} : undefined});
// Done. Exit once stdout and stderr have taken everything (where pipes are asynchronous, as on
// macOS), rather than when the last socket has finished closing: as kubectl does. The compile
// cache is written first.
await Promise.all([process.stdout, process.stderr].map((stream) => (stream.writableNeedDrain ? new Promise((resolve) => stream.once('drain', resolve)) : undefined)));
module.flushCompileCache?.();
process.exit();
