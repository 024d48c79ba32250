import {isDnsLabel as isDnsLabelName} from '../core/names.js';
import {GshiftError} from '../errors.js';

const isDnsLabel = (value: unknown) => typeof value === 'string' && isDnsLabelName(value);

export type Platform = 'auto' | 'openshift' | 'kubernetes';

/** gshift's defaults, as a team or a user writes them in a config file. */
export interface GshiftConfig {
  tenant?: string;
  env?: string;
  /** Prefix for stack images, e.g. `registry.example.gov/certified`: certified images without editing templates. */
  registry?: string;
  platform: Platform;
  /** Directories with a team's own stack templates, searched before the built-in catalogue. */
  templateDirs: string[];
  /** The environments tenants may have, in promotion order. */
  environments: string[];
  /** Environments that get high availability: ≥ 2 replicas, a PodDisruptionBudget, topology spread. */
  haEnvironments: string[];
  /** Namespace label that marks the platform's ingress/router namespaces on plain Kubernetes. */
  ingressNamespaceLabel: string;
  /** Namespace label that marks the monitoring namespace allowed to scrape tenant pods. */
  monitoringNamespaceLabel: string;
}

export const DEFAULT_CONFIG: GshiftConfig = {
  platform: 'auto',
  templateDirs: [],
  environments: ['dev', 'test', 'acc', 'prod'],
  haEnvironments: ['acc', 'prod'],
  ingressNamespaceLabel: 'gshift.io/ingress=true',
  monitoringNamespaceLabel: 'gshift.io/monitoring=true',
};

const LABEL_PAIR = /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?=([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

interface KeySpec {
  allowed: string;
  check(value: unknown): boolean;
}

const isDnsLabelList = (value: unknown) => Array.isArray(value) && value.every(isDnsLabel);

export const CONFIG_KEYS: Record<keyof GshiftConfig, KeySpec> = {
  tenant: {allowed: 'a DNS-1123 label (lower-case letters, digits and "-")', check: isDnsLabel},
  env: {allowed: 'a DNS-1123 label such as dev, test, acc or prod', check: isDnsLabel},
  registry: {
    allowed: 'an image registry prefix such as registry.example.gov/certified',
    check: (value) => typeof value === 'string' && /^[a-z0-9]([a-z0-9.:-]*[a-z0-9])?(\/[a-z0-9._-]+)*$/.test(value),
  },
  platform: {
    allowed: 'one of auto, openshift, kubernetes',
    check: (value) => value === 'auto' || value === 'openshift' || value === 'kubernetes',
  },
  templateDirs: {
    allowed: 'a list of directory paths (relative to the config file)',
    check: (value) => Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry !== ''),
  },
  environments: {allowed: 'a non-empty list of DNS-1123 labels', check: (value) => isDnsLabelList(value) && (value as unknown[]).length > 0},
  haEnvironments: {allowed: 'a list of DNS-1123 labels', check: isDnsLabelList},
  ingressNamespaceLabel: {allowed: 'a label selector pair key=value', check: (value) => typeof value === 'string' && LABEL_PAIR.test(value)},
  monitoringNamespaceLabel: {allowed: 'a label selector pair key=value', check: (value) => typeof value === 'string' && LABEL_PAIR.test(value)},
};

/** Checks one file's content; the error names the file, the key and what is allowed. */
export function validateConfigFile(file: string, content: unknown): Partial<GshiftConfig> {
  if (content === null || content === undefined) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw new GshiftError('CONFIG', `${file} must hold a mapping of settings, not ${Array.isArray(content) ? 'a list' : typeof content}.`, {
      hint: `write settings as key: value pairs (keys: ${Object.keys(CONFIG_KEYS).join(', ')}).`,
      details: {file},
    });
  }
  for (const [key, value] of Object.entries(content)) {
    const spec = CONFIG_KEYS[key as keyof GshiftConfig];
    if (!spec) {
      throw new GshiftError('CONFIG', `${file}: "${key}" is not a gshift setting.`, {
        hint: `use one of: ${Object.keys(CONFIG_KEYS).join(', ')}.`,
        details: {file, key},
      });
    }
    if (!spec.check(value)) {
      throw new GshiftError('CONFIG', `${file}: "${key}" is ${JSON.stringify(value)}, but it must be ${spec.allowed}.`, {
        hint: `fix "${key}" in ${file}.`,
        details: {file, key, allowed: spec.allowed},
      });
    }
  }
  return content as Partial<GshiftConfig>;
}
