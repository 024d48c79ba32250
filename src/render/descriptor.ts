import {isDnsLabel} from '../core/names.js';
import {usageError} from '../errors.js';
import {formatPath, isRecord, type OpenShiftTemplate} from './template.js';

/** Optional parts gshift may add around a stack's own objects. */
export const STACK_PARTS = ['expose', 'autoscaler', 'disruptionBudget', 'storage', 'config'] as const;
export type StackPart = (typeof STACK_PARTS)[number];

/**
 * The platform standards. podSecurity and labels hold for every stack; a descriptor may mark
 * the others relaxable (the template's or the team's own setting wins) or exempt (with a reason).
 */
export const STANDARDS = ['podSecurity', 'labels', 'resources', 'probes', 'rollingUpdate', 'highAvailability'] as const;
export type Standard = (typeof STANDARDS)[number];
const NEVER_RELAXED: readonly Standard[] = ['podSecurity', 'labels'];

export type StandardMode = 'enforced' | 'relaxable' | 'exempt';

export interface StackDescriptor {
  name: string;
  kind: 'app' | 'db';
  displayName?: string;
  description: string;
  /** The default image, before the registry prefix. */
  image?: string;
  port?: number;
  health: {ready?: string; live?: string; port?: string | number};
  parts: StackPart[];
  storage?: {mountPath?: string; parameter?: string};
  standards: {relaxable: Standard[]; exempt: Partial<Record<Standard, string>>};
}

export function standardMode(descriptor: StackDescriptor, standard: Standard): StandardMode {
  if (descriptor.standards.exempt[standard] !== undefined) return 'exempt';
  return descriptor.standards.relaxable.includes(standard) ? 'relaxable' : 'enforced';
}

/** Checks a parsed stack.yaml; errors name the file and the field. */
export function checkDescriptor(raw: unknown, source: string, fallbackName: string): StackDescriptor {
  const fail = (path: (string | number)[], message: string) =>
    usageError(`${source}: ${formatPath(path)} ${message}.`, 'fix the stack descriptor: see docs/templates.md for its fields.');
  if (!isRecord(raw)) throw fail([], 'must be a mapping');
  const name = raw.name ?? fallbackName;
  if (typeof name !== 'string' || !isDnsLabel(name)) throw fail(['name'], 'must be a DNS label');
  if (raw.kind !== 'app' && raw.kind !== 'db') throw fail(['kind'], 'must be app or db');
  for (const field of ['displayName', 'description', 'image'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') throw fail([field], 'must be a string');
  }
  if (raw.port !== undefined && !(Number.isInteger(raw.port) && (raw.port as number) > 0 && (raw.port as number) < 65536)) throw fail(['port'], 'must be a port number');
  const health = raw.health ?? {};
  if (!isRecord(health)) throw fail(['health'], 'must be a mapping');
  const parts = raw.parts ?? [];
  if (!Array.isArray(parts) || parts.some((part) => !STACK_PARTS.includes(part))) throw fail(['parts'], `must be a list of: ${STACK_PARTS.join(', ')}`);
  const storage = raw.storage;
  if (storage !== undefined && !isRecord(storage)) throw fail(['storage'], 'must be a mapping');
  const standards = raw.standards ?? {};
  if (!isRecord(standards)) throw fail(['standards'], 'must be a mapping');
  const relaxable = standards.relaxable ?? [];
  const exempt = standards.exempt ?? {};
  if (!Array.isArray(relaxable) || relaxable.some((standard) => !STANDARDS.includes(standard))) {
    throw fail(['standards', 'relaxable'], `must be a list of: ${STANDARDS.join(', ')}`);
  }
  if (!isRecord(exempt) || Object.entries(exempt).some(([standard, reason]) => !STANDARDS.includes(standard as Standard) || typeof reason !== 'string' || reason === '')) {
    throw fail(['standards', 'exempt'], 'must map standard names to the reason they do not apply');
  }
  for (const standard of NEVER_RELAXED) {
    if (relaxable.includes(standard) || standard in exempt) throw fail(['standards'], `cannot relax or exempt ${standard}: it holds for every stack on the platform`);
  }
  return {
    name,
    kind: raw.kind,
    ...(raw.displayName ? {displayName: raw.displayName as string} : {}),
    description: (raw.description as string | undefined) ?? '',
    ...(raw.image ? {image: raw.image as string} : {}),
    ...(raw.port ? {port: raw.port as number} : {}),
    health: health as StackDescriptor['health'],
    parts: parts as StackPart[],
    ...(storage ? {storage: storage as StackDescriptor['storage']} : {}),
    standards: {relaxable: relaxable as Standard[], exempt: exempt as StackDescriptor['standards']['exempt']},
  };
}

/**
 * A team's own template without a stack.yaml is an app stack with every standard enforced and
 * every part available; its image and port come from its IMAGE and PORT parameters.
 */
export function descriptorFromTemplate(template: OpenShiftTemplate, name: string): StackDescriptor {
  const parameter = (key: string) => template.parameters.find((candidate) => candidate.name === key)?.value;
  const port = Number(parameter('PORT'));
  const annotations = template.metadata?.annotations ?? {};
  return {
    name,
    kind: 'app',
    ...(annotations['openshift.io/display-name'] ? {displayName: annotations['openshift.io/display-name']} : {}),
    description: annotations.description ?? '',
    ...(parameter('IMAGE') ? {image: parameter('IMAGE')} : {}),
    ...(Number.isInteger(port) && port > 0 ? {port} : {}),
    health: {},
    parts: [...STACK_PARTS],
    standards: {relaxable: [], exempt: {}},
  };
}
