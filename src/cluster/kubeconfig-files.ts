import {existsSync, readFileSync} from 'node:fs';
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path';

import {GshiftError, usageError} from '../errors.js';
import {parseKubeconfigText} from './kubeconfig-yaml.js';

/** One named entry of a kubeconfig list (clusters, users, contexts), with the file it came from. */
export interface NamedEntry<T> {
  name: string;
  value: T;
  file: string;
}

export interface RawCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  extensions?: {name: string; extension: unknown}[];
}

export interface RawExec {
  apiVersion?: string;
  command?: string;
  args?: string[];
  env?: {name: string; value: string}[] | null;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

export interface RawUser {
  token?: string;
  'token-file'?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  as?: string;
  exec?: RawExec;
  'auth-provider'?: unknown;
}

export interface RawContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

/** Several kubeconfig files merged with kubectl's rules. */
export interface MergedKubeconfig {
  clusters: Map<string, NamedEntry<RawCluster>>;
  users: Map<string, NamedEntry<RawUser>>;
  contexts: Map<string, NamedEntry<RawContext>>;
  currentContext?: string;
  /** The files that were read, in precedence order. */
  files: string[];
}

export type KubeconfigLocation =
  | {kind: 'files'; files: string[]; origin: '--kubeconfig' | 'KUBECONFIG' | '~/.kube/config'}
  | {kind: 'in-cluster'}
  | {kind: 'none'};

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Where the configuration comes from, as kubectl decides: --kubeconfig (must exist); else every
 * existing file in $KUBECONFIG; else ~/.kube/config; else the in-cluster service account.
 */
export function locateKubeconfig(explicit: string | undefined, env: NodeJS.ProcessEnv, serviceAccountDir = SERVICE_ACCOUNT_DIR): KubeconfigLocation {
  if (explicit) {
    const file = resolve(explicit);
    if (!existsSync(file)) {
      throw usageError(`The kubeconfig file ${file} does not exist.`, 'pass --kubeconfig (or GSHIFT_KUBECONFIG) with an existing file.', {file});
    }
    return {kind: 'files', files: [file], origin: '--kubeconfig'};
  }
  if (env.KUBECONFIG) {
    // kubectl skips files in $KUBECONFIG that do not exist, and reads each one only once.
    const files = [...new Set(env.KUBECONFIG.split(delimiter).filter(Boolean).map((file) => resolve(file)))].filter((file) => existsSync(file));
    if (files.length > 0) return {kind: 'files', files, origin: 'KUBECONFIG'};
  }
  const home = env.HOME || env.USERPROFILE;
  if (home && existsSync(join(home, '.kube', 'config'))) {
    return {kind: 'files', files: [join(home, '.kube', 'config')], origin: '~/.kube/config'};
  }
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(join(serviceAccountDir, 'token'))) {
    return {kind: 'in-cluster'};
  }
  return {kind: 'none'};
}

/**
 * Reads and merges files with kubectl's rules: the first file to define a cluster, user or
 * context name wins, and so does the first file that sets current-context. (client-node's
 * loadFromDefault lets later files win the current-context and throws on duplicate names.)
 * Relative paths are resolved against the directory of the file that names them.
 */
export function mergeKubeconfigFiles(files: string[]): MergedKubeconfig {
  const merged: MergedKubeconfig = {clusters: new Map(), users: new Map(), contexts: new Map(), files};
  for (const file of files) {
    const document = readKubeconfig(file);
    const base = dirname(file);
    for (const entry of entries<RawCluster>(document.clusters, 'cluster', file)) {
      if (!merged.clusters.has(entry.name)) merged.clusters.set(entry.name, {...entry, value: resolveClusterPaths(entry.value, base)});
    }
    for (const entry of entries<RawUser>(document.users, 'user', file)) {
      if (!merged.users.has(entry.name)) merged.users.set(entry.name, {...entry, value: resolveUserPaths(entry.value, base)});
    }
    for (const entry of entries<RawContext>(document.contexts, 'context', file)) {
      if (!merged.contexts.has(entry.name)) merged.contexts.set(entry.name, entry);
    }
    const current = document['current-context'];
    if (!merged.currentContext && typeof current === 'string' && current !== '') merged.currentContext = current;
  }
  return merged;
}

function readKubeconfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GshiftError('USAGE', `The kubeconfig file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'check the file’s permissions, or point --kubeconfig / KUBECONFIG at another file.',
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = parseKubeconfigText(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new GshiftError('USAGE', `The kubeconfig file ${file} is not valid YAML: ${reason}`, {
      hint: 'fix the file, or point --kubeconfig / KUBECONFIG at another one.',
      cause: error,
    });
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw usageError(`The kubeconfig file ${file} is not a kubeconfig (it holds no clusters, users or contexts).`, 'point --kubeconfig / KUBECONFIG at a kubeconfig file.');
  }
  return document as Record<string, unknown>;
}

/** The `{name, <key>: {...}}` items of one list; unnamed items are skipped as kubectl's loader does. */
function entries<T>(list: unknown, key: string, file: string): NamedEntry<T>[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && typeof item.name === 'string' && item.name !== '')
    .map((item) => ({name: item.name as string, value: ((item[key] ?? {}) as T), file}));
}

const absolute = (base: string, path: string | undefined) => (path && !isAbsolute(path) ? join(base, path) : path);

function resolveClusterPaths(cluster: RawCluster, base: string): RawCluster {
  return {...cluster, 'certificate-authority': absolute(base, cluster['certificate-authority'])};
}

function resolveUserPaths(user: RawUser, base: string): RawUser {
  const resolved: RawUser = {
    ...user,
    'client-certificate': absolute(base, user['client-certificate']),
    'client-key': absolute(base, user['client-key']),
    'token-file': absolute(base, user['token-file']),
  };
  // A command with a path separator is relative to the kubeconfig; a bare name is looked up in PATH.
  const command = user.exec?.command;
  if (user.exec && command && /[\\/]/.test(command) && !isAbsolute(command)) resolved.exec = {...user.exec, command: join(base, command)};
  return resolved;
}
