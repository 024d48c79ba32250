import {brokenLabelRule, brokenSubdomainRule} from '../core/names.js';
import {parseQuantity} from '../core/quantity.js';
import {checkEnvironment} from '../core/target.js';
import {notFoundError, usageError} from '../errors.js';
import type {AppRenderInput} from '../render/compose.js';
import {listStackEntries} from '../render/catalogue.js';
import {parseParameterAssignments} from '../render/parameters.js';

/**
 * What `gshift app create` was asked, checked before anything is rendered or sent: kubectl's
 * Complete and Validate steps. Every error says which rule the input breaks.
 */

/** The flags as the command parsed them. */
export interface AppCreateFlags {
  name: string;
  stack: string;
  image?: string;
  port?: number;
  replicas?: number;
  envVar?: string[];
  param?: string[];
  storage?: string;
  host?: string;
  tenant?: string;
  env?: string;
  namespace?: string;
  platform?: 'openshift' | 'kubernetes';
}

/** The parts of gshift's config that decide an app's manifests. */
export interface AppConfig {
  tenant?: string;
  env?: string;
  registry?: string;
  platform: 'auto' | 'openshift' | 'kubernetes';
  templateDirs: string[];
  environments: string[];
  haEnvironments: string[];
}

/**
 * App names become Service names, so they follow RFC 1035 labels (DNS-1035): Kubernetes
 * rejects a Service named "1shop" even though a Deployment could have it.
 */
export function checkAppName(name: string): string {
  const rule = brokenLabelRule(name, 'dns-1035-label');
  if (rule) throw usageError(`"${name}" is not a valid app name: ${rule}.`, 'use lower-case letters, digits and "-", starting with a letter, e.g. "shop-api".');
  return name;
}

/** An unknown stack is "not found" (exit 6, as in template show), listing the stacks there are. */
export function checkStackName(stack: string, templateDirs: readonly string[]): string {
  const known = listStackEntries(templateDirs).map((entry) => entry.name);
  if (!known.includes(stack)) throw notFoundError(`There is no stack named "${stack}".`, `pass --stack with one of: ${known.join(', ')}.`, {known});
  return stack;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `--env-var KEY=VALUE` (or `app env set`'s arguments, named by `source`), split at the first
 * "="; a key given twice is an error.
 */
export function parseEnvVars(assignments: readonly string[] = [], source: {what: string; example: string} = {what: '--env-var', example: '--env-var LOG_LEVEL=debug'}): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw usageError(`${source.what} ${JSON.stringify(assignment)} is not KEY=VALUE.`, `write KEY=VALUE, e.g. ${source.example}.`);
    const key = assignment.slice(0, equals);
    if (!ENV_NAME.test(key)) {
      throw usageError(`${source.what} ${key} is not a valid variable name: it must start with a letter or "_" and hold only letters, digits, "_", "." and "-".`, 'rename the variable, e.g. LOG_LEVEL.');
    }
    if (key in variables) throw usageError(`${source.what} ${key} was given more than once.`, `pass each variable once.`);
    variables[key] = assignment.slice(equals + 1);
  }
  return variables;
}

export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Parses an image reference the way container runtimes do: [registry/]path[:tag][@digest]. */
export function parseImageReference(reference: string): ImageReference {
  const broken = (why: string) => usageError(`"${reference}" is not a valid image reference: ${why}.`, 'write images like quay.io/team/shop:1.2 or registry.example.org/shop@sha256:<digest>.');
  if (reference === '' || /\s/.test(reference)) throw broken('it is empty or has spaces');
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw broken(`the digest "${digest}" is not algorithm:hex`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw broken(`the tag "${tag}" may hold only letters, digits, "_", "." and "-" (at most 128)`);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift();
    if (!/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(registry!)) throw broken(`the registry "${registry}" is not a host name with an optional port`);
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) throw broken(`the path part "${part}" must be lower-case letters and digits, separated by ".", "_" or "-"`);
  }
  return {...(registry ? {registry} : {}), repository: parts.join('/'), ...(tag ? {tag} : {}), ...(digest ? {digest} : {})};
}

/** A volume size as Kubernetes writes quantities: 512Mi, 10Gi, 1T; more than nothing, in whole bytes. */
export function checkStorageSize(size: string): string {
  const quantity = parseQuantity(size);
  if (!quantity || quantity.nanos <= 0n || quantity.nanos % 1_000_000_000n !== 0n) throw usageError(`"${size}" is not a storage size.`, 'write sizes like 512Mi, 10Gi or 1Ti.');
  return size;
}

/** A host name for a Route or Ingress: a DNS subdomain of at most 253 characters. */
export function checkHost(host: string): string {
  if (brokenSubdomainRule(host, {minLabels: 2})) throw usageError(`"${host}" is not a valid host name.`, 'pass --host with a lower-case DNS name such as shop.apps.example.org.');
  return host;
}

function checkCount(value: number | undefined, flag: string, minimum: number, maximum: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < minimum || value > maximum) throw usageError(`--${flag} ${value} is outside ${minimum}..${maximum}.`, `pass --${flag} with a whole number from ${minimum} to ${maximum}.`);
  return value;
}

/**
 * Turns flags and config into the input renderApp takes. The platform comes from the flag,
 * else the config, else (when the cluster is not asked) OpenShift.
 */
export function appRenderInput(flags: AppCreateFlags, config: AppConfig, detectedPlatform?: 'openshift' | 'kubernetes'): AppRenderInput {
  const env = flags.env ?? config.env ?? 'dev';
  checkEnvironment(env, config.environments);
  const tenant = flags.tenant ?? config.tenant;
  const params = Object.fromEntries(parseParameterAssignments(flags.param ?? [], '--param'));
  const envVars = parseEnvVars(flags.envVar);
  if (flags.image) parseImageReference(flags.image);
  const input: AppRenderInput = {
    name: checkAppName(flags.name),
    stack: checkStackName(flags.stack, config.templateDirs),
    env,
    platform: flags.platform ?? (config.platform === 'auto' ? (detectedPlatform ?? 'openshift') : config.platform),
    haEnvironments: config.haEnvironments,
    templateDirs: config.templateDirs,
    ...(tenant ? {tenant} : {}),
    ...(flags.namespace ? {namespace: flags.namespace} : tenant ? {namespace: `${tenant}-${env}`} : {}),
    ...(flags.image ? {image: flags.image} : {}),
    ...(flags.port !== undefined ? {port: checkCount(flags.port, 'port', 1, 65535)} : {}),
    ...(flags.replicas !== undefined ? {replicas: checkCount(flags.replicas, 'replicas', 0, 1000)} : {}),
    ...(Object.keys(envVars).length > 0 ? {envVars} : {}),
    ...(Object.keys(params).length > 0 ? {params} : {}),
    ...(flags.storage ? {storage: checkStorageSize(flags.storage)} : {}),
    ...(flags.host ? {host: checkHost(flags.host)} : {}),
    ...(config.registry ? {registry: config.registry} : {}),
  };
  return input;
}
