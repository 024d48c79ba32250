import type {KubeObject} from '../cluster/index.js';
import {usageError} from '../errors.js';
import {type AutoscaleSettings, DEFAULT_CPU_TARGET} from '../render/parts.js';

/**
 * What `gshift scale APP` was asked, checked before anything is read from the cluster: a fixed
 * count, an autoscaler's bounds and targets, back to a fixed count, or (no flags) the state.
 */
export interface ScaleFlags {
  replicas?: number;
  min?: number;
  max?: number;
  cpu?: number;
  memory?: number;
  manual?: boolean;
}

export type ScaleChange =
  | {kind: 'show'}
  | {kind: 'replicas'; replicas: number}
  | {kind: 'autoscale'; min?: number; max?: number; cpu?: number; memory?: number}
  | {kind: 'manual'; replicas?: number};

export const MAX_REPLICAS = 1000;

function checkWhole(value: number | undefined, flag: string, minimum: number, maximum: number, example: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw usageError(`--${flag} ${value} is not a whole number from ${minimum} to ${maximum}.`, `pass --${flag} with a whole number from ${minimum} to ${maximum}, e.g. --${flag} ${example}.`);
  }
}

export function scaleChange(flags: ScaleFlags): ScaleChange {
  checkWhole(flags.replicas, 'replicas', 0, MAX_REPLICAS, 3);
  checkWhole(flags.min, 'min', 1, MAX_REPLICAS, 2);
  checkWhole(flags.max, 'max', 1, MAX_REPLICAS, 10);
  checkWhole(flags.cpu, 'cpu', 1, 100, 70);
  checkWhole(flags.memory, 'memory', 1, 100, 80);
  const autoscaling = (['min', 'max', 'cpu', 'memory'] as const).filter((flag) => flags[flag] !== undefined);
  if (flags.manual && autoscaling.length > 0) {
    throw usageError(`--manual removes the autoscaler, so it takes no --${autoscaling[0]}.`, 'pass --manual [--replicas N] to pin the count, or --min/--max (with --cpu/--memory) to autoscale.');
  }
  if (flags.manual) return {kind: 'manual', ...(flags.replicas !== undefined ? {replicas: flags.replicas} : {})};
  if (autoscaling.length > 0) {
    if (flags.replicas !== undefined) {
      throw usageError('--replicas fixes the count, while --min/--max let the autoscaler choose it: pass one or the other.', 'to run a fixed number, pass --manual --replicas N; to autoscale, pass --min and --max.');
    }
    if (flags.min !== undefined && flags.max !== undefined && flags.min > flags.max) {
      throw usageError(`--min ${flags.min} is above --max ${flags.max}.`, `pass a --min no larger than --max, e.g. --min ${flags.max} --max ${flags.min}.`);
    }
    const given = Object.fromEntries(autoscaling.map((flag) => [flag, flags[flag]]));
    return {kind: 'autoscale', ...given};
  }
  if (flags.replicas !== undefined) return {kind: 'replicas', replicas: flags.replicas};
  return {kind: 'show'};
}

/**
 * The autoscaler's settings after the change: what was given, the rest as the app's autoscaler
 * had it (a new one starts at `floor` replicas and scales on CPU). Only a new one needs --max.
 */
export function mergeAutoscale(change: Extract<ScaleChange, {kind: 'autoscale'}>, current: AutoscaleSettings | undefined, floor: number, app: string): AutoscaleSettings {
  const max = change.max ?? current?.max;
  if (max === undefined) throw usageError(`App ${app} has no autoscaler yet, so it needs --max.`, `pass the bounds, e.g. gshift scale ${app} --min ${floor} --max ${Math.max(floor * 2, floor + 2)} --cpu ${DEFAULT_CPU_TARGET}.`);
  const min = change.min ?? current?.min ?? floor;
  if (min > max) throw usageError(`--max ${max} is below the autoscaler's minimum of ${min}.`, `pass --min too, e.g. --min ${max} --max ${max}, or a larger --max.`);
  const given = {cpu: change.cpu ?? current?.cpu, memory: change.memory ?? current?.memory};
  const targets: {cpu?: number; memory?: number} = given.cpu === undefined && given.memory === undefined ? {cpu: DEFAULT_CPU_TARGET} : given;
  return {min, max, ...(targets.cpu !== undefined ? {cpu: targets.cpu} : {}), ...(targets.memory !== undefined ? {memory: targets.memory} : {})};
}

/** A utilisation target needs a request on every container: without one the autoscaler cannot compute it. */
export function checkTargets(app: string, objects: readonly KubeObject[], settings: AutoscaleSettings): void {
  const workload = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === app);
  const containers = ((workload?.spec as {template?: {spec?: {containers?: {name: string; resources?: {requests?: Record<string, string>}}[]}}} | undefined)?.template?.spec?.containers) ?? [];
  for (const resource of ['cpu', 'memory'] as const) {
    if (settings[resource] === undefined) continue;
    const bare = containers.find((container) => container.resources?.requests?.[resource] === undefined);
    if (bare) {
      throw usageError(
        `Container ${bare.name} of ${app} has no ${resource === 'cpu' ? 'CPU' : 'memory'} request, so ${resource === 'cpu' ? 'CPU' : 'memory'} utilisation cannot be computed for --${resource} ${settings[resource]}.`,
        `set a ${resource} request for it (the stack's template, or --param), or scale on ${resource === 'cpu' ? 'memory (--memory)' : 'CPU (--cpu)'} instead.`,
        {app, container: bare.name, resource},
      );
    }
  }
}
