/**
 * Would more pods of an app fit the namespace's ResourceQuotas? Answered from the quotas' status
 * (hard and used, as the quota controller counts them) and what one pod charges, the way the
 * quota admission plugin will count it: so a scale-up the quota refuses is said at once, before
 * anything changes, instead of the ReplicaSet failing to create pods until a timeout.
 */
import {type Quantity, formatQuantity, parseQuantity} from '../core/quantity.js';

type Json = Record<string, any>;

export interface QuotaState {
  name: string;
  hard: Record<string, string>;
  used: Record<string, string>;
}

/** What one pod counts against a quota, by quota key (pods, requests.cpu, cpu, limits.memory, …). */
export type PodCharge = Record<string, Quantity>;

export interface QuotaShortfall {
  quota: string;
  resource: string;
  hard: string;
  used: string;
  /** What the new pods would add. */
  requested: string;
  /** How far above hard used + requested would be. */
  over: string;
  /** How many more pods still fit under this quota (0 when none). */
  room: number;
}

const ZERO: Quantity = {nanos: 0n, format: 'decimal'};
const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** Quotas without scopes: those count every pod (scoped ones, e.g. BestEffort, are left out rather than guessed). */
export function quotaStates(quotas: readonly Json[]): QuotaState[] {
  return quotas
    .filter((quota) => !(quota.spec?.scopes?.length > 0) && !quota.spec?.scopeSelector)
    .map((quota) => ({name: quota.metadata?.name ?? '', hard: quota.status?.hard ?? quota.spec?.hard ?? {}, used: quota.status?.used ?? {}}));
}

/**
 * What one pod of this spec charges, as Kubernetes computes a pod's requests and limits: the sum
 * over its containers or the largest init container, whichever is more, plus the pod overhead.
 */
export function podCharge(podSpec: Json): PodCharge {
  const charge: PodCharge = {pods: {nanos: 1_000_000_000n, format: 'decimal'}};
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of RESOURCES) {
      const of = (container: Json) => parseQuantity(String(container.resources?.[kind]?.[resource] ?? '0')) ?? ZERO;
      const sum = (podSpec.containers ?? []).reduce((total: bigint, container: Json) => total + of(container).nanos, 0n);
      const init = (podSpec.initContainers ?? []).reduce((largest: bigint, container: Json) => (of(container).nanos > largest ? of(container).nanos : largest), 0n);
      const overhead = parseQuantity(String(podSpec.overhead?.[resource] ?? '0'))?.nanos ?? 0n;
      const nanos = (sum > init ? sum : init) + overhead;
      if (nanos === 0n) continue;
      const format = resource === 'cpu' ? 'decimal' : 'binary';
      charge[`${kind}.${resource}`] = {nanos, format};
      // The short quota keys (cpu, memory) mean the requests.
      if (kind === 'requests' && resource !== 'ephemeral-storage') charge[resource] = {nanos, format};
    }
  }
  return charge;
}

/** How many more pods of this charge fit under one quota, and the key that limits it. */
function roomUnder(quota: QuotaState, charge: PodCharge): {room: number; resource?: string} {
  let room = Number.POSITIVE_INFINITY;
  let limiting: string | undefined;
  for (const [resource, hardText] of Object.entries(quota.hard)) {
    const perPod = charge[resource];
    const hard = parseQuantity(hardText);
    if (!perPod || perPod.nanos <= 0n || !hard) continue;
    const used = parseQuantity(quota.used[resource] ?? '0') ?? ZERO;
    const free = hard.nanos - used.nanos;
    const fits = free <= 0n ? 0 : Number(free / perPod.nanos);
    if (fits < room) {
      room = fits;
      limiting = resource;
    }
  }
  return {room, ...(limiting ? {resource: limiting} : {})};
}

/**
 * The quota resource that `extraPods` more pods would exceed and that stops them soonest (the
 * fewest pods fit under it), with by how much; undefined when they all fit.
 */
export function quotaShortfall(quotas: readonly QuotaState[], charge: PodCharge, extraPods: number): QuotaShortfall | undefined {
  if (extraPods <= 0) return undefined;
  let worst: QuotaShortfall | undefined;
  for (const quota of quotas) {
    for (const [resource, hardText] of Object.entries(quota.hard)) {
      const perPod = charge[resource];
      const hard = parseQuantity(hardText);
      if (!perPod || perPod.nanos <= 0n || !hard) continue;
      const used = parseQuantity(quota.used[resource] ?? '0') ?? ZERO;
      const requested = perPod.nanos * BigInt(extraPods);
      const over = used.nanos + requested - hard.nanos;
      if (over <= 0n) continue;
      const free = hard.nanos - used.nanos;
      const room = free <= 0n ? 0 : Number(free / perPod.nanos);
      if (worst && worst.room <= room) continue;
      const format = perPod.format;
      worst = {
        quota: quota.name,
        resource,
        hard: hardText,
        used: formatQuantity({nanos: used.nanos, format}),
        requested: formatQuantity({nanos: requested, format}),
        over: formatQuantity({nanos: over, format}),
        room,
      };
    }
  }
  return worst;
}

/** How many more pods fit under all the quotas (Infinity when none limits them), and what limits them. */
export function quotaRoom(quotas: readonly QuotaState[], charge: PodCharge): {room: number; quota?: string; resource?: string} {
  let best: {room: number; quota?: string; resource?: string} = {room: Number.POSITIVE_INFINITY};
  for (const quota of quotas) {
    const {room, resource} = roomUnder(quota, charge);
    if (room < best.room) best = {room, quota: quota.name, ...(resource ? {resource} : {})};
  }
  return best;
}

/**
 * The quota admission plugin's refusal, as a ReplicaSet's FailedCreate event carries it:
 * `exceeded quota: compute, requested: pods=1,requests.cpu=100m, used: pods=3,requests.cpu=1900m, limited: pods=20,requests.cpu=2`
 * — the first resource the new pod does not fit.
 */
export function parseQuotaRefusal(message: string): Omit<QuotaShortfall, 'room'> | undefined {
  const match = /exceeded quota: ([^,]+), requested: (\S+), used: (\S+), limited: ([^\s]+?)\.?(?:\s|$)/.exec(message);
  if (!match) return undefined;
  const [, quota, requestedList, usedList, hardList] = match as unknown as [string, string, string, string, string];
  const pairs = (list: string) => new Map(list.split(',').map((pair) => pair.split('=') as [string, string]));
  const [requestedBy, usedBy, hardBy] = [pairs(requestedList), pairs(usedList), pairs(hardList)];
  for (const [resource, requestedText] of requestedBy) {
    const [requested, used, hard] = [parseQuantity(requestedText), parseQuantity(usedBy.get(resource) ?? '0'), parseQuantity(hardBy.get(resource) ?? '')];
    if (!requested || !used || !hard) continue;
    const over = used.nanos + requested.nanos - hard.nanos;
    if (over <= 0n) continue;
    const format = resource.includes('memory') || resource.includes('storage') ? 'binary' : 'decimal';
    return {quota: quota.trim(), resource, hard: hardBy.get(resource)!, used: usedBy.get(resource) ?? '0', requested: requestedText, over: formatQuantity({nanos: over, format})};
  }
  return undefined;
}
