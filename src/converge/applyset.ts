import {createHash} from 'node:crypto';

import type {KubeObject, ObjectRef} from '../cluster/index.js';
import {MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';

/**
 * What gshift records about a set of objects it converges (an app, a tenant's environment, a
 * database …) follows the Kubernetes ApplySet standard (KEP-3659, as `kubectl apply --prune
 * --applyset` implements it): one parent object carries the id label and lists the group-kinds
 * of its members; every member carries the part-of label. So kubectl, and any other
 * ApplySet-aware tool, sees the same set gshift prunes.
 *
 * This module is the pure part: ids, labels, annotations, the prune plan. The cluster side is
 * inventory.ts, the order of writes engine.ts.
 */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';


/** Parents are ConfigMaps: a kind kubectl accepts as a parent without a CRD, and readable without Secret access. */
export const PARENT_API_VERSION = 'v1';
export const PARENT_KIND = 'ConfigMap';

export function parentRef(name: string, namespace: string): ObjectRef {
  return {apiVersion: PARENT_API_VERSION, kind: PARENT_KIND, name, namespace};
}

/**
 * The ApplySet id of a parent: `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`,
 * unpadded, exactly as kubectl computes it (so kubectl recognises the set).
 */
export function applysetId(parent: {name: string; namespace: string; kind: string; group: string}): string {
  const digest = createHash('sha256').update([parent.name, parent.namespace, parent.kind, parent.group].join('.')).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** The id of a gshift parent (a ConfigMap) of this name in this namespace. */
export function setId(name: string, namespace: string): string {
  return applysetId({name, namespace, kind: PARENT_KIND, group: ''});
}

/** The API group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** "Deployment.apps", or just "Service" for the core group: the annotation's spelling. */
export function groupKind(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return group ? `${kind}.${group}` : kind;
}

/** Splits "Deployment.apps" into kind and group. */
export function splitGroupKind(value: string): {kind: string; group: string} {
  const dot = value.indexOf('.');
  return dot === -1 ? {kind: value, group: ''} : {kind: value.slice(0, dot), group: value.slice(dot + 1)};
}

export function parseGroupKinds(annotation: string | undefined): string[] {
  return [...new Set((annotation ?? '').split(',').map((entry) => entry.trim()).filter(Boolean))].sort();
}

export function formatGroupKinds(groupKinds: Iterable<string>): string {
  return [...new Set(groupKinds)].sort().join(',');
}

export function groupKindsOf(objects: readonly KubeObject[]): string[] {
  return parseGroupKinds(objects.map((object) => groupKind(object.apiVersion, object.kind)).join(','));
}

/** One set gshift converges: its parent's name and labels, the labels every member gets. */
export interface SetSpec {
  /** The parent ConfigMap's name, e.g. gshift-app-web. */
  name: string;
  namespace: string;
  /** e.g. "gshift/v0.1.0". */
  tooling: string;
  /** Labels for the parent (tenant, env, stack), so listing sets needs no member reads. */
  labels?: Record<string, string>;
  /** Labels every member gets besides part-of and managed-by (gshift.io/app: web). */
  memberLabels?: Record<string, string>;
  /** What the parent records besides the set itself (the inputs to render it again). */
  data?: Record<string, string>;
}

/** The parent ConfigMap, complete, for server-side apply, listing these group-kinds. */
export function applysetParent(spec: SetSpec, groupKinds: readonly string[]): KubeObject {
  return {
    apiVersion: PARENT_API_VERSION,
    kind: PARENT_KIND,
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels: {...spec.labels, ...spec.memberLabels, [APPLYSET_ID_LABEL]: setId(spec.name, spec.namespace), [MANAGED_BY_LABEL]: MANAGER},
      annotations: {[APPLYSET_TOOLING_ANNOTATION]: spec.tooling, [APPLYSET_GROUP_KINDS_ANNOTATION]: formatGroupKinds(groupKinds)},
    },
    ...(spec.data ? {data: spec.data} : {}),
  };
}

/** Copies of the objects with the part-of, managed-by and the set's member labels added, in the set's namespace. */
export function asMembers(objects: readonly KubeObject[], spec: Pick<SetSpec, 'name' | 'namespace' | 'memberLabels'>): KubeObject[] {
  const id = setId(spec.name, spec.namespace);
  return objects.map((object) => ({
    ...object,
    metadata: {
      ...object.metadata,
      namespace: spec.namespace,
      labels: {...object.metadata.labels, [APPLYSET_PART_OF_LABEL]: id, ...spec.memberLabels, [MANAGED_BY_LABEL]: MANAGER},
    },
  }));
}

/** A stable key for "the same object": group, kind and name (the namespace is the app's). */
export function memberKey(object: {apiVersion: string; kind: string; metadata?: {name?: string}; name?: string}): string {
  const name = object.metadata?.name ?? object.name ?? '';
  return `${groupKind(object.apiVersion, object.kind)}/${name}`;
}

export interface PrunePlan {
  /** Members on the cluster the new render no longer contains. */
  prune: KubeObject[];
  /** Members that would be pruned but are kept: they hold data (see keptAsData). */
  kept: KubeObject[];
}

/**
 * Which existing members to delete: those not in the desired set. Data is kept unless
 * `purgeData` — losing a volume because a parameter changed is never what anyone meant.
 */
export function planPrune(existing: readonly KubeObject[], desired: readonly KubeObject[], options: {purgeData?: boolean} = {}): PrunePlan {
  const wanted = new Set(desired.map(memberKey));
  const isData = keptAsData(existing);
  const plan: PrunePlan = {prune: [], kept: []};
  for (const object of existing) {
    if (wanted.has(memberKey(object)) || object.metadata.deletionTimestamp) continue;
    if (isData(object) && !options.purgeData) plan.kept.push(object);
    else plan.prune.push(object);
  }
  return plan;
}

/**
 * What holds data in a set: its volume claims and, when there are any, the Secrets beside them
 * (a database's generated credentials). Data without the password it was initialised with is
 * data nobody can read; kept, a set converged again gets both back.
 */
export function keptAsData(members: readonly KubeObject[]): (member: KubeObject) => boolean {
  const holdsData = members.some(isPersistentVolumeClaim);
  return (member) => isPersistentVolumeClaim(member) || (holdsData && member.kind === 'Secret' && groupOf(member.apiVersion) === '');
}

export function isPersistentVolumeClaim(object: {apiVersion: string; kind: string}): boolean {
  return object.kind === 'PersistentVolumeClaim' && groupOf(object.apiVersion) === '';
}
