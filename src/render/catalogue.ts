import {existsSync, readdirSync, statSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {basename, extname, join, resolve} from 'node:path';

import {shippedPath} from '../core/package-files.js';
import {notFoundError, usageError} from '../errors.js';
import {checkDescriptor, descriptorFromTemplate, type StackDescriptor} from './descriptor.js';
import {parseDocumentText, readTemplateFile, type OpenShiftTemplate} from './template.js';

/** The built-in catalogue, shipped with gshift. */
export const BUILT_IN_TEMPLATES_DIR = `${shippedPath('templates')}/`;

export interface StackEntry {
  name: string;
  source: 'user' | 'built-in';
  templatePath: string;
  descriptorPath?: string;
}

export interface Stack extends StackEntry {
  descriptor: StackDescriptor;
  template: OpenShiftTemplate;
}

const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Every stack and template, the user's directories first (in the configured order), then the
 * built-in catalogue. A name found earlier hides the same name later, so a team can replace a
 * built-in stack. A directory holds `<name>/template.yaml` (with an optional `stack.yaml`) or
 * plain `<name>.yaml|.yml|.json` template files.
 */
export function listStackEntries(templateDirs: readonly string[] = []): StackEntry[] {
  // A run renders many apps and looks the catalogue up for each: scanned again only when a
  // directory's own listing changed (its modification time), not file by file every time.
  const dirs = [...templateDirs.map((dir) => resolve(dir)), BUILT_IN_TEMPLATES_DIR];
  const key = dirs.map((dir) => `${dir}\u0000${statSync(dir, {throwIfNoEntry: false})?.mtimeMs ?? 'absent'}`).join('\u0000');
  const known = scanned.get(key);
  if (known) return [...known];
  const entries = scanCatalogue(templateDirs);
  scanned.set(key, entries);
  return [...entries];
}

const scanned = new Map<string, StackEntry[]>();

function scanCatalogue(templateDirs: readonly string[]): StackEntry[] {
  const entries = new Map<string, StackEntry>();
  const scan = (dir: string, source: StackEntry['source']) => {
    if (!existsSync(dir)) return;
    for (const item of readdirSync(dir).sort()) {
      const entry = entryFor(join(dir, item), source);
      if (entry && !entries.has(entry.name)) entries.set(entry.name, entry);
    }
  };
  for (const dir of templateDirs) scan(resolve(dir), 'user');
  scan(BUILT_IN_TEMPLATES_DIR, 'built-in');
  return [...entries.values()];
}

function entryFor(path: string, source: StackEntry['source']): StackEntry | undefined {
  const stats = statSync(path, {throwIfNoEntry: false});
  if (stats?.isDirectory()) {
    const templatePath = TEMPLATE_EXTENSIONS.map((extension) => join(path, `template${extension}`)).find((file) => existsSync(file));
    if (!templatePath) return undefined;
    const descriptorPath = ['stack.yaml', 'stack.yml', 'stack.json'].map((file) => join(path, file)).find((file) => existsSync(file));
    return {name: basename(path), source, templatePath, ...(descriptorPath ? {descriptorPath} : {})};
  }
  if (stats?.isFile() && TEMPLATE_EXTENSIONS.includes(extname(path))) return {name: basename(path, extname(path)), source, templatePath: path};
  return undefined;
}

// Templates are parsed once per process: rendering many apps reuses them (processing never
// changes a template).
const loaded = new Map<string, Promise<Stack>>();

export function loadStackEntry(entry: StackEntry): Promise<Stack> {
  const key = `${entry.templatePath}\0${entry.descriptorPath ?? ''}`;
  let stack = loaded.get(key);
  if (!stack) {
    stack = readStack(entry);
    loaded.set(key, stack);
    stack.catch(() => loaded.delete(key));
  }
  return stack;
}

async function readStack(entry: StackEntry): Promise<Stack> {
  const template = await readTemplateFile(entry.templatePath);
  let descriptor: StackDescriptor;
  if (entry.descriptorPath) {
    const text = await readFile(entry.descriptorPath, 'utf8');
    descriptor = checkDescriptor(await parseDocumentText(text, entry.descriptorPath), entry.descriptorPath, entry.name);
    if (descriptor.name !== entry.name) {
      throw usageError(`${entry.descriptorPath}: name is "${descriptor.name}" but the stack's directory is "${entry.name}".`, 'make the descriptor name match its directory.');
    }
  } else {
    descriptor = descriptorFromTemplate(template, entry.name);
  }
  return {...entry, descriptor, template};
}

/** Finds a stack by name; an unknown name is NOT_FOUND with the known names in the hint. */
export async function findStack(name: string, templateDirs: readonly string[] = []): Promise<Stack> {
  const entries = listStackEntries(templateDirs);
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry) {
    throw notFoundError(`There is no stack named "${name}".`, `use one of: ${entries.map((candidate) => candidate.name).join(', ')} (see \`gshift template list\`).`, {
      known: entries.map((candidate) => candidate.name),
    });
  }
  return loadStackEntry(entry);
}

/** True when an argument names a file rather than a stack: it has a path separator or a template extension. */
export function looksLikePath(argument: string): boolean {
  return argument.includes('/') || argument.includes('\\') || TEMPLATE_EXTENSIONS.includes(extname(argument));
}

/** `template process|show|validate FILE|NAME`: a file when it looks like one, else a stack name. */
export async function findTemplate(argument: string, templateDirs: readonly string[] = []): Promise<{name: string; source: string; template: OpenShiftTemplate; stack?: Stack}> {
  if (looksLikePath(argument)) {
    const template = await readTemplateFile(resolve(argument));
    return {name: template.metadata?.name ?? basename(argument, extname(argument)), source: resolve(argument), template};
  }
  const stack = await findStack(argument, templateDirs);
  return {name: stack.name, source: stack.templatePath, template: stack.template, stack};
}
