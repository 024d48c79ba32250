import {usageError} from '../errors.js';
import {type Quantity, formatQuantity, parseQuantity, scaleQuantity} from '../core/quantity.js';

/** The ResourceQuota keys gshift sets from --quota; services.loadbalancers and services.nodeports are always 0. */
export const QUOTA_KEYS = ['requests.cpu', 'limits.cpu', 'requests.memory', 'limits.memory', 'requests.storage', 'persistentvolumeclaims', 'pods'] as const;
export type QuotaKey = (typeof QUOTA_KEYS)[number];
export type Quota = Record<QuotaKey, string>;

type Kind = 'cpu' | 'bytes' | 'count';
const KINDS: Record<QuotaKey, Kind> = {
  'requests.cpu': 'cpu',
  'limits.cpu': 'cpu',
  'requests.memory': 'bytes',
  'limits.memory': 'bytes',
  'requests.storage': 'bytes',
  persistentvolumeclaims: 'count',
  pods: 'count',
};

/** The short names people type, and what each sets. */
const ALIASES: Record<string, QuotaKey> = {cpu: 'requests.cpu', memory: 'requests.memory', storage: 'requests.storage', pvcs: 'persistentvolumeclaims'};
/** Limits follow requests at this ratio unless given: room to burst, while the requests stay what is guaranteed. */
const LIMIT_RATIO = 2n;
const MEBIBYTE = 2n ** 20n * 10n ** 9n;

/**
 * Defaults by environment kind: environments without high availability (dev, test) are small,
 * HA environments (acc, prod: ≥ 2 replicas of everything) get twice to four times as much.
 */
export const QUOTA_PROFILES: Record<'standard' | 'ha', Quota> = {
  standard: {
    'requests.cpu': '2',
    'limits.cpu': '4',
    'requests.memory': '4Gi',
    'limits.memory': '8Gi',
    'requests.storage': '20Gi',
    persistentvolumeclaims: '5',
    pods: '20',
  },
  ha: {
    'requests.cpu': '8',
    'limits.cpu': '16',
    'requests.memory': '16Gi',
    'limits.memory': '32Gi',
    'requests.storage': '100Gi',
    persistentvolumeclaims: '20',
    pods: '50',
  },
};

export const QUOTA_HELP =
  'cpu, memory and storage set requests (limits default to twice the requests; set limits.cpu / limits.memory to choose), pvcs and pods are counts: e.g. cpu=8,memory=16Gi,storage=100Gi,pods=50.';

/**
 * Parses --quota text such as `cpu=8,memory=16Gi,storage=100Gi,pods=50` into ResourceQuota keys.
 * Every value is checked here, so a bad quantity never reaches the cluster.
 */
export function parseQuotaSpec(text: string): Partial<Quota> {
  const given = new Map<QuotaKey, Quantity>();
  const spelled = new Map<QuotaKey, string>();
  for (const part of text.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    const [rawKey = '', value, ...rest] = part.split('=');
    const key = ALIASES[rawKey.trim()] ?? (QUOTA_KEYS.includes(rawKey.trim() as QuotaKey) ? (rawKey.trim() as QuotaKey) : undefined);
    if (!key) {
      throw usageError(`"${rawKey.trim()}" in --quota is not a quota gshift sets.`, `use keys among: cpu, memory, storage, pvcs, pods, ${QUOTA_KEYS.filter((k) => k.includes('.')).join(', ')}.`, {key: rawKey});
    }
    if (value === undefined || rest.length > 0 || value.trim() === '') {
      throw usageError(`"${part}" in --quota is not key=value.`, 'write the quota like cpu=8,memory=16Gi,pods=50.');
    }
    if (given.has(key)) throw usageError(`--quota sets ${key} twice ("${spelled.get(key)}" and "${part}").`, 'give each quota once.');
    given.set(key, checkValue(key, value.trim(), part));
    spelled.set(key, part);
  }
  if (given.size === 0) throw usageError('--quota is empty.', 'write the quota like cpu=8,memory=16Gi,pods=50.');
  for (const [request, limit] of [['requests.cpu', 'limits.cpu'], ['requests.memory', 'limits.memory']] as const) {
    const requested = given.get(request);
    if (requested && !given.has(limit)) given.set(limit, scaleQuantity(requested, LIMIT_RATIO));
    const limited = given.get(limit);
    if (requested && limited && limited.nanos < requested.nanos) {
      throw usageError(`--quota sets ${limit} (${formatQuantity(limited)}) below ${request} (${formatQuantity(requested)}).`, `raise ${limit} to at least ${formatQuantity(requested)}.`);
    }
  }
  return Object.fromEntries([...given].map(([key, quantity]) => [key, formatQuantity(quantity)]));
}

function checkValue(key: QuotaKey, value: string, part: string): Quantity {
  const quantity = parseQuantity(value);
  const kind = KINDS[key];
  if (!quantity || quantity.nanos < 0n) {
    throw usageError(`"${value}" in --quota ${part.split('=')[0]} is not a quantity.`, kind === 'cpu' ? 'write CPU as cores or millicores, like 8 or 500m.' : kind === 'bytes' ? 'write sizes with a unit, like 16Gi or 512Mi.' : 'write counts as whole numbers, like 50.', {key, value});
  }
  if (kind === 'count' && quantity.nanos % 10n ** 9n !== 0n) {
    throw usageError(`"${value}" in --quota ${part.split('=')[0]} is not a whole number.`, 'write counts as whole numbers, like 50.', {key, value});
  }
  if (kind === 'bytes' && quantity.nanos > 0n && quantity.nanos < MEBIBYTE) {
    throw usageError(`"${value}" in --quota ${part.split('=')[0]} is less than one mebibyte: a unit is probably missing.`, `write sizes with a unit, like ${value}Gi or ${value}Mi.`, {key, value});
  }
  return quantity;
}

/** The full quota of one environment: its profile, overridden by what was asked for. */
export function resolveQuota(ha: boolean, overrides: Partial<Quota>, env: string): Quota {
  const quota = {...QUOTA_PROFILES[ha ? 'ha' : 'standard'], ...overrides};
  for (const [request, limit] of [['requests.cpu', 'limits.cpu'], ['requests.memory', 'limits.memory']] as const) {
    if (parseQuantity(quota[limit])!.nanos < parseQuantity(quota[request])!.nanos) {
      throw usageError(`In ${env}, ${limit} (${quota[limit]}) would be below ${request} (${quota[request]}).`, `set both in --quota, e.g. ${request}=${quota[limit]},${limit}=${quota[limit]}.`);
    }
  }
  return quota;
}

/** The everything-else quota items that every tenant namespace gets, whatever was asked. */
export const FIXED_QUOTA = {'services.loadbalancers': '0', 'services.nodeports': '0'} as const;

export function quotaKind(key: string): Kind | undefined {
  return KINDS[key as QuotaKey];
}
