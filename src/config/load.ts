import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';

import {GshiftError} from '../errors.js';
import {DEFAULT_CONFIG, type GshiftConfig, validateConfigFile} from './schema.js';

export interface EffectiveConfig {
  values: GshiftConfig;
  /** Where each value came from: "default", a file path, or "GSHIFT_<KEY>". */
  sources: Record<keyof GshiftConfig, string>;
  /** The files that were read, user-level first. */
  files: string[];
}

const NAME = 'gshift';
const PROJECT_FILES = [
  'package.json',
  `.${NAME}rc`,
  `.${NAME}rc.json`,
  `.${NAME}rc.yaml`,
  `.${NAME}rc.yml`,
  `.${NAME}rc.mjs`,
  `.${NAME}rc.ts`,
  `${NAME}.config.json`,
  `${NAME}.config.yaml`,
  `${NAME}.config.yml`,
  `${NAME}.config.mjs`,
  `${NAME}.config.ts`,
];

/** Config files in TypeScript load through Node's own type stripping: no compiler needed. */
async function importModule(filepath: string): Promise<unknown> {
  const module = (await import(pathToFileURL(filepath).href)) as {default?: unknown};
  return module.default ?? module;
}

/** The user-level file: $GSHIFT_CONFIG, else $XDG_CONFIG_HOME/gshift/config.{yaml,yml,json}. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GSHIFT_CONFIG) return resolve(env.GSHIFT_CONFIG);
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return ['config.yaml', 'config.yml', 'config.json'].map((file) => join(base, NAME, file)).find((file) => existsSync(file));
}

async function configExplorer() {
  const {cosmiconfig} = (await import('cosmiconfig')).default;
  return cosmiconfig(NAME, {
    searchPlaces: PROJECT_FILES,
    searchStrategy: 'none',
    loaders: {'.ts': importModule, '.mts': importModule, '.mjs': importModule},
    cache: false,
  });
}

/** Whether a directory has a file cosmiconfig would read: any of the names, or a package.json with a "gshift" key. */
function holdsConfigFile(directory: string): boolean {
  return PROJECT_FILES.some((file) => {
    const path = join(directory, file);
    if (!existsSync(path)) return false;
    if (file !== 'package.json') return true;
    try {
      return NAME in (JSON.parse(readFileSync(path, 'utf8')) as object);
    } catch {
      return true; // let cosmiconfig report the broken file
    }
  });
}

/** Directories from `start` up to the repository root (the first with .git), or to the filesystem root. */
export function projectDirectories(start: string): string[] {
  const directories: string[] = [];
  let current = resolve(start);
  for (;;) {
    directories.push(current);
    if (existsSync(join(current, '.git'))) return directories;
    const parent = dirname(current);
    if (parent === current) return directories;
    current = parent;
  }
}

/**
 * Loads the effective configuration: defaults, then the user-level file, then the project file
 * nearest to `cwd` (searched up to the repository root), then GSHIFT_<KEY> variables for the
 * scalar settings. Flags override all of these in the commands themselves.
 */
export async function loadConfig(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<EffectiveConfig> {
  const userFile = userConfigPath(env);
  const directories = projectDirectories(cwd);
  // Most runs have no config file at all: cosmiconfig (≈70 ms to load) only when there is one to read.
  const explorer = userFile || directories.some(holdsConfigFile) ? await configExplorer() : undefined;
  const values: GshiftConfig = {...DEFAULT_CONFIG};
  const sources = Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((key) => [key, 'default'])) as EffectiveConfig['sources'];
  const files: string[] = [];

  const apply = (file: string, content: unknown) => {
    const settings = validateConfigFile(file, content);
    for (const [key, value] of Object.entries(settings) as [keyof GshiftConfig, never][]) {
      values[key] = key === 'templateDirs' ? ((value as string[]).map((entry) => resolve(dirname(file), entry)) as never) : value;
      sources[key] = file;
    }
    files.push(file);
  };

  if (userFile && explorer) {
    if (!existsSync(userFile)) throw new GshiftError('CONFIG', `The config file ${userFile} named by GSHIFT_CONFIG does not exist.`, {hint: 'point GSHIFT_CONFIG at an existing file, or unset it.'});
    apply(userFile, (await readConfig(() => explorer.load(userFile), userFile))?.config);
  }
  for (const directory of explorer ? directories : []) {
    const found = await readConfig(() => explorer!.search(directory), directory);
    if (found && !found.isEmpty) {
      apply(found.filepath, found.config);
      break;
    }
  }
  for (const key of ['tenant', 'env', 'registry', 'platform'] as const) {
    const variable = `GSHIFT_${key === 'registry' ? 'REGISTRY' : key.toUpperCase()}`;
    const value = env[variable];
    if (value) {
      apply(variable, {[key]: value});
      files.pop();
    }
  }
  return {values, sources, files};
}

async function readConfig<T>(read: () => Promise<T>, where: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GshiftError('CONFIG', `The gshift config in ${where} cannot be read: ${message}`, {
      hint: 'fix the syntax of that file (YAML, JSON or a module with a default export).',
      cause: error,
    });
  }
}
