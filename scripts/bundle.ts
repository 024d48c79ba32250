// `npm run build`, after tsc: bundles dist/ into dist/bundle/, which is what bin/run.js and oclif
// load. esbuild bundles: every command and hook is an entry point and code shared between them
// goes into shared chunks (splitting), so one copy of oclif serves them all; a dynamic import
// stays a chunk of its own, so what loaded lazily before loads lazily still. Rollup then
// regroups esbuild's many small chunks into fewer files (see below). Start-up reads and links a
// handful of files instead of ~170 modules, and `app create --wait` some 50 instead of 81.
//
// Left out of the bundle: @kubernetes/client-node (loaded only for the credentials that need it,
// and large) and oclif's completion plugin (loaded by oclif from node_modules, as plugins are).
// A CommonJS package loaded with import() is reached through its default export (yaml,
// cosmiconfig: `(await import('yaml')).default`): esbuild's chunk of one exports nothing else,
// and Node's namespace of one has the same object as its default.
//
// dist/bundle/meta.json records which source module went into which file (tests read it).
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';

import {build, type Plugin} from 'esbuild';
import {rollup, type Plugin as RollupPlugin} from 'rollup';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

/** The JavaScript files under a directory of dist/, at any depth. */
const scripts = (dir: string) => readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((file) => file.endsWith('.js')).map((file) => join(dir, file));

/**
 * oclif's `import('wsl-utils')` gets dist/shims/wsl-utils.js (see src/shims/wsl-utils.ts); the
 * shim's own import of the package gets the package.
 */
const wslShim: Plugin = {
  name: 'wsl-utils-shim',
  setup(builder) {
    builder.onResolve({filter: /^wsl-utils$/}, ({importer}) => (importer.includes('/node_modules/@oclif/core/') ? {path: join(dist, 'shims', 'wsl-utils.js')} : undefined));
  },
};

/**
 * Node's modules that oclif requires as it loads and calls only on rare paths: performance marks
 * (node:perf_hooks, with OCLIF_PERFORMANCE set), the user's shell (node:child_process, for
 * completion and WSL), a flag read from stdin (node:readline). Some 4 ms of every start.
 */
const RARE_BUILTINS_FOR_OCLIF = ['node:perf_hooks', 'node:child_process', 'node:readline'];

/**
 * Dependencies of oclif that only its rare paths call — globbing for commands when there is no
 * manifest (tinyglobby), plugin name patterns (minimatch), an .oclifrc search when package.json
 * has no oclif key (lilconfig), templates in help and update URLs (ejs), its own spinner
 * (cli-spinners), wrapping an error or help text (wrap-ansi) — yet oclif requires them as it
 * loads, and evaluating them is 10 ms or more of every start. oclif reaches each through a
 * `require` at the top of a module and uses it only when called (`(0, x.glob)(…)`,
 * `x.default.render(…)`), so it gets a stand-in that requires the real package on first use.
 */
const LAZY_FOR_OCLIF = ['tinyglobby', 'minimatch', 'lilconfig', 'ejs', 'cli-spinners', 'wrap-ansi', ...RARE_BUILTINS_FOR_OCLIF];
const oclifCore = join(root, 'node_modules', '@oclif', 'core');
/**
 * oclif's logger makes a `debug` logger per namespace and calls it all through every start; the
 * package (with node:tty, supports-color and ms) costs some 4 ms to load. Loggers are only ever
 * enabled by the DEBUG variable, which `debug` reads once as it loads (oclif never enables one
 * itself): without it, every logger oclif makes is a silent one, and the package is not loaded.
 */
const SILENT_DEBUG = `const silent = (namespace) => Object.assign(() => {}, {enabled: false, namespace, extend: (name, delimiter = ':') => silent(namespace + delimiter + name)});
module.exports = process.env.DEBUG ? require('debug') : Object.assign(silent, {enabled: () => false, enable() {}, disable: () => ''});`;

const lazyForOclif: Plugin = {
  name: 'lazy-for-oclif',
  setup(builder) {
    const filter = new RegExp(`^(${LAZY_FOR_OCLIF.join('|')})$`);
    builder.onResolve({filter}, ({path, importer}) => (importer.includes('/node_modules/@oclif/core/') ? {path, namespace: 'lazy-for-oclif'} : undefined));
    builder.onResolve({filter: /^debug$/}, ({path, importer}) => (importer.includes('/node_modules/@oclif/core/') ? {path, namespace: 'silent-debug'} : undefined));
    builder.onLoad({filter: /.*/, namespace: 'silent-debug'}, () => ({contents: SILENT_DEBUG, resolveDir: oclifCore, loader: 'js'}));
    builder.onLoad({filter: /.*/, namespace: 'lazy-for-oclif'}, ({path}) => ({
      // __esModule: true, so oclif's __importDefault takes `default` as it is, read at the call.
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(path)}));
module.exports = new Proxy({}, {get: (_, key) => (key === '__esModule' ? true : key === 'default' ? (load().__esModule ? load().default : load()) : load()[key])});`,
      resolveDir: oclifCore,
      loader: 'js',
    }));
  },
};

/** Rollup reads esbuild's chunks with their source maps, so its own maps lead back to dist/. */
const withEsbuildSourceMaps: RollupPlugin = {
  name: 'esbuild-source-maps',
  load(id) {
    const code = readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    return {code, map: readFileSync(`${id}.map`, 'utf8')};
  },
};

/** The first word of every command: a top-level file or directory of dist/commands. */
const commandRoots = readdirSync(join(dist, 'commands')).map((entry) => entry.replace(/\.js$/, '')).filter((entry) => !entry.endsWith('.map') && !entry.endsWith('.d.ts'));

// esbuild bundles (CommonJS into ES modules, dependencies in, shims); its chunks go to a
// scratch directory, for rollup to regroup.
const scratch = join(dist, '.esbuild');
const entryPoints = [join(dist, 'main.js'), ...scripts(join(dist, 'commands')), ...scripts(join(dist, 'hooks'))];
const result = await build({
  entryPoints,
  outdir: scratch,
  outbase: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minifyWhitespace: true,
  external: ['@kubernetes/client-node', '@oclif/plugin-autocomplete'],
  // bin/run.js loads the completion plugin only for what is not one of these (see src/main.ts).
  define: {GSHIFT_COMMAND_ROOTS: JSON.stringify(commandRoots.join(' '))},
  // Stack traces (--debug) name the modules tsc wrote, not the chunks: bin/run.js turns source maps on then.
  sourcemap: 'linked',
  sourcesContent: false,
  absWorkingDir: root,
  metafile: true,
  plugins: [wslShim, lazyForOclif],
  logLevel: 'warning',
});

// esbuild makes one chunk for every set of entry points (commands, hooks, dynamic imports) that
// share code: some 100 chunks, most of them a few hundred bytes, and `app create --wait` loads
// 81 files. Each file is a module for Node to read, compile from its cache, link and evaluate:
// about 0.2 ms apiece, whatever its size. Rollup regroups the chunks: a small one that only
// declares things joins a chunk loaded wherever it is (experimentalMinChunkSize), so a command
// loads fewer, larger files; what runs when a file loads stays as it was.
// With outbase dist/, each entry point keeps its path under the scratch directory.
const entries = entryPoints.map((entry) => relative(dist, entry));
let startup: Set<string> | undefined;
/** These modules and what they import, directly or not (dynamic imports left out). */
function staticallyImported(entries: string[], info: (id: string) => {importedIds: readonly string[]} | null): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    seen.add(id);
    for (const imported of info(id)?.importedIds ?? []) if (!seen.has(imported)) visit(imported);
  };
  for (const entry of entries) visit(entry);
  return seen;
}
const regrouped = await rollup({
  input: Object.fromEntries(entries.map((entry) => [entry.replace(/\.js$/, ''), join(scratch, entry)])),
  // Node's modules and the packages esbuild left out stay imports.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  treeshake: {unknownGlobalSideEffects: false},
  plugins: [withEsbuildSourceMaps],
  // Quiet about what esbuild's output always has (cycles between chunks, imports a chunk leaves
  // unused) and about its chunk counts.
  onLog: (level, log, report) => !['CIRCULAR_DEPENDENCY', 'UNUSED_EXTERNAL_IMPORT', 'OPTIMIZE_CHUNK_STATUS'].includes(log.code ?? '') && report(level, log),
});
const {output} = await regrouped.write({
  dir: join(dist, 'bundle'),
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunk-[hash].js',
  experimentalMinChunkSize: 16_000,
  // What every start loads (oclif's entry and the init hook, with what they import) is one chunk
  // that nothing else joins: a small chunk merged into it would load with `gshift --version`.
  manualChunks: (id, {getModuleInfo}) => {
    startup ??= staticallyImported([join(scratch, 'main.js'), join(scratch, 'hooks', 'init.js')], getModuleInfo);
    return startup.has(id) ? 'startup' : undefined;
  },
  // CommonJS dependencies call require() for Node's modules: give the ES module chunks one.
  banner: "import {createRequire as gshiftCreateRequire} from 'node:module';const require=gshiftCreateRequire(import.meta.url);",
  sourcemap: true,
  sourcemapExcludeSources: true,
});
await regrouped.close();
// Rollup reads a dynamic import of a module it moved into a bigger chunk as that chunk's member:
// `import('./chunk.js').then(function (n) { return n.x; })`. From esbuild's syntax-minified
// output it once put the `.then` after the enclosing expression instead, hence no minifySyntax
// above; a build where it did so again stops here.
for (const file of output) {
  if (file.type !== 'chunk') continue;
  const members = file.code.split('.then(function (n) { return n.').length - 1;
  const placed = file.code.match(/import\('[^']+'\)\.then\(function \(n\) \{ return n\./g)?.length ?? 0;
  if (members !== placed) throw new Error(`rollup misplaced a dynamic import's member access in ${file.fileName}`);
}

// Per output file (relative to the repository), the source modules whose code is in it (relative
// too): its source map's sources, which are what survived rollup, traced back through esbuild's.
const contents = Object.fromEntries(
  output.flatMap((file) => {
    if (file.type !== 'chunk' || !file.map) return [];
    const at = dirname(join(dist, 'bundle', file.fileName));
    return [[relative(root, join(dist, 'bundle', file.fileName)), file.map.sources.map((source) => relative(root, resolve(at, source)))]];
  }),
);
writeFileSync(join(dist, 'bundle', 'meta.json'), `${JSON.stringify(contents, null, 1)}\n`);
rmSync(scratch, {recursive: true});
