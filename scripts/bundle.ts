// `npm run build`, after tsc: bundles dist/ into dist/bundle/ with esbuild, which is what
// bin/run.js and oclif load. Every command and hook is an entry point and code shared between
// them goes into shared chunks (splitting), so one copy of oclif serves them all; a dynamic
// import stays a chunk of its own, so what loaded lazily before loads lazily still. Start-up
// resolves, reads and links ~50 files instead of ~170 (gshift status).
//
// Left out of the bundle: @kubernetes/client-node (loaded only for the credentials that need it,
// and large) and oclif's completion plugin (loaded by oclif from node_modules, as plugins are).
// A CommonJS package loaded with import() is reached through its default export (yaml,
// cosmiconfig: `(await import('yaml')).default`): esbuild's chunk of one exports nothing else,
// and Node's namespace of one has the same object as its default.
//
// dist/bundle/meta.json records which source module went into which file (tests read it).
import {readdirSync, writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';

import {build, type Plugin} from 'esbuild';

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
 * Dependencies of oclif that only its rare paths call — globbing for commands when there is no
 * manifest (tinyglobby), plugin name patterns (minimatch), an .oclifrc search when package.json
 * has no oclif key (lilconfig), templates in help and update URLs (ejs), its own spinner
 * (cli-spinners), wrapping an error or help text (wrap-ansi) — yet oclif requires them as it
 * loads, and evaluating them is 10 ms or more of every start. oclif reaches each through a
 * `require` at the top of a module and uses it only when called (`(0, x.glob)(…)`,
 * `x.default.render(…)`), so it gets a stand-in that requires the real package on first use.
 */
const LAZY_FOR_OCLIF = ['tinyglobby', 'minimatch', 'lilconfig', 'ejs', 'cli-spinners', 'wrap-ansi'];
const oclifCore = join(root, 'node_modules', '@oclif', 'core');
const lazyForOclif: Plugin = {
  name: 'lazy-for-oclif',
  setup(builder) {
    const filter = new RegExp(`^(${LAZY_FOR_OCLIF.join('|')})$`);
    builder.onResolve({filter}, ({path, importer}) => (importer.includes('/node_modules/@oclif/core/') ? {path, namespace: 'lazy-for-oclif'} : undefined));
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

/** The first word of every command: a top-level file or directory of dist/commands. */
const commandRoots = readdirSync(join(dist, 'commands')).map((entry) => entry.replace(/\.js$/, '')).filter((entry) => !entry.endsWith('.map') && !entry.endsWith('.d.ts'));

const result = await build({
  entryPoints: [join(dist, 'main.js'), ...scripts(join(dist, 'commands')), ...scripts(join(dist, 'hooks'))],
  outdir: join(dist, 'bundle'),
  outbase: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minifySyntax: true,
  minifyWhitespace: true,
  external: ['@kubernetes/client-node', '@oclif/plugin-autocomplete'],
  // bin/run.js loads the completion plugin only for what is not one of these (see src/main.ts).
  define: {GSHIFT_COMMAND_ROOTS: JSON.stringify(commandRoots)},
  // CommonJS dependencies call require() for Node's modules: give the ES module chunks one.
  banner: {js: "import {createRequire as gshiftCreateRequire} from 'node:module';const require=gshiftCreateRequire(import.meta.url);"},
  // Stack traces (--debug) name the modules tsc wrote, not the chunks: bin/run.js turns source maps on then.
  sourcemap: 'linked',
  sourcesContent: false,
  absWorkingDir: root,
  metafile: true,
  plugins: [wslShim, lazyForOclif],
  logLevel: 'warning',
});

// Per output file (relative to the repository), the source modules in it (relative too).
const contents = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([output, {inputs}]) => [relative(root, join(root, output)), Object.keys(inputs).map((input) => relative(root, join(root, input)))]),
);
writeFileSync(join(dist, 'bundle', 'meta.json'), `${JSON.stringify(contents, null, 1)}\n`);
