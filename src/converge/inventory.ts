import type {Cluster, Discovery, KubeObject} from '../cluster/index.js';
import {APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_PART_OF_LABEL, parentRef, parseGroupKinds, splitGroupKind} from './applyset.js';

/**
 * The apiVersion to list a group-kind with: the first served version of its group that has the
 * kind. undefined when the cluster no longer serves it (a CRD removed): nothing to list then.
 */
export function servedApiVersion(discovery: Discovery, groupKindText: string): string | undefined {
  const {kind, group} = splitGroupKind(groupKindText);
  const candidates = discovery.groupVersions().filter((groupVersion) => (group === '' ? !groupVersion.includes('/') : groupVersion.startsWith(`${group}/`)));
  return candidates.find((groupVersion) => discovery.hasKind(groupVersion, kind));
}

/** Every object on the cluster that carries the set's part-of label, in the group-kinds given. */
export async function listMembers(cluster: Cluster, namespace: string, id: string, groupKinds: readonly string[]): Promise<KubeObject[]> {
  const discovery = await cluster.discovery();
  // One list per group-kind, all at once: a set's kinds are independent reads.
  const lists = await Promise.all(
    groupKinds.map(async (groupKindText) => {
      const apiVersion = servedApiVersion(discovery, groupKindText);
      if (!apiVersion) return [];
      const {kind} = splitGroupKind(groupKindText);
      const listed = await cluster.list(apiVersion, kind, {namespace, labelSelector: `${APPLYSET_PART_OF_LABEL}=${id}`});
      // A list response's items omit apiVersion and kind.
      return listed.items.map((item) => ({...item, apiVersion, kind}));
    }),
  );
  return lists.flat();
}

/** A set's parent as the cluster has it, with the group-kinds it lists; undefined when there is none. */
export async function readParent(cluster: Cluster, name: string, namespace: string): Promise<{parent: KubeObject; groupKinds: string[]} | undefined> {
  const parent = await cluster.get(parentRef(name, namespace));
  return parent ? {parent, groupKinds: parseGroupKinds(parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION])} : undefined;
}
