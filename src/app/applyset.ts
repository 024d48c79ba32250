import {createHash} from 'node:crypto';

import type {KubeObject, ObjectRef} from '../cluster/index.js';
import {APP_LABEL, MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';

/**
 * What gshift records about an app on the cluster follows the Kubernetes ApplySet standard
 * (KEP-3659, as `kubectl apply --prune --applyset` implements it): one parent object carries
 * the id label and lists the group-kinds of its members; every member carries the part-of
 * label. So kubectl, and any other ApplySet-aware tool, sees the same set gshift prunes.
 *
 * This module is the pure part: ids, labels, annotations. The cluster side is inventory.ts.
 */
export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';


/** The parent is a ConfigMap: a kind kubectl accepts as a parent without a CRD, and readable without Secret access. */
export const PARENT_API_VERSION = 'v1';
export const PARENT_KIND = 'ConfigMap';
/** The parent's data key holding the inputs the app was last created or deployed with. */
export const INPUTS_KEY = 'inputs.json';

export function parentName(app: string): string {
  return `gshift-app-${app}`;
}

export function parentRef(app: string, namespace: string): ObjectRef {
  return {apiVersion: PARENT_API_VERSION, kind: PARENT_KIND, name: parentName(app), namespace};
}

/**
 * The ApplySet id of a parent: `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`,
 * unpadded, exactly as kubectl computes it (so kubectl recognises the set).
 */
export function applysetId(parent: {name: string; namespace: string; kind: string; group: string}): string {
  const digest = createHash('sha256').update([parent.name, parent.namespace, parent.kind, parent.group].join('.')).digest('base64url');
  return `applyset-${digest}-v1`;
}

export function appApplysetId(app: string, namespace: string): string {
  return applysetId({name: parentName(app), namespace, kind: PARENT_KIND, group: ''});
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

export interface ParentSpec {
  app: string;
  namespace: string;
  /** The group-kinds the parent lists: during an apply the union of old and new, afterwards the new set. */
  groupKinds: readonly string[];
  /** e.g. "gshift/v0.1.0". */
  tooling: string;
  /** Extra labels (tenant, env, stack) so `app list` can show them without reading members. */
  labels?: Record<string, string>;
  /** JSON of the inputs, so deploy/promote/env can render the app again. */
  inputs: string;
}

/** The parent ConfigMap, complete, for server-side apply. */
export function applysetParent(spec: ParentSpec): KubeObject {
  return {
    apiVersion: PARENT_API_VERSION,
    kind: PARENT_KIND,
    metadata: {
      name: parentName(spec.app),
      namespace: spec.namespace,
      labels: {
        ...spec.labels,
        [APPLYSET_ID_LABEL]: appApplysetId(spec.app, spec.namespace),
        [APP_LABEL]: spec.app,
        [MANAGED_BY_LABEL]: MANAGER,
      },
      annotations: {
        [APPLYSET_TOOLING_ANNOTATION]: spec.tooling,
        [APPLYSET_GROUP_KINDS_ANNOTATION]: formatGroupKinds(spec.groupKinds),
      },
    },
    data: {[INPUTS_KEY]: spec.inputs},
  };
}

/** Copies of the objects with the part-of, app and managed-by labels added. */
export function asMembers(objects: readonly KubeObject[], app: string, id: string): KubeObject[] {
  return objects.map((object) => ({
    ...object,
    metadata: {
      ...object.metadata,
      labels: {...object.metadata.labels, [APPLYSET_PART_OF_LABEL]: id, [APP_LABEL]: app, [MANAGED_BY_LABEL]: MANAGER},
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
  /** Members that would be pruned but are kept: persistent volume claims hold data. */
  kept: KubeObject[];
}

/**
 * Which existing members to delete: those not in the desired set. PersistentVolumeClaims are
 * kept unless `purgeData` — losing a volume because a parameter changed is never what anyone meant.
 */
export function planPrune(existing: readonly KubeObject[], desired: readonly KubeObject[], options: {purgeData?: boolean} = {}): PrunePlan {
  const wanted = new Set(desired.map(memberKey));
  const plan: PrunePlan = {prune: [], kept: []};
  for (const object of existing) {
    if (wanted.has(memberKey(object)) || object.metadata.deletionTimestamp) continue;
    if (isPersistentVolumeClaim(object) && !options.purgeData) plan.kept.push(object);
    else plan.prune.push(object);
  }
  return plan;
}

export function isPersistentVolumeClaim(object: {apiVersion: string; kind: string}): boolean {
  return object.kind === 'PersistentVolumeClaim' && groupOf(object.apiVersion) === '';
}
