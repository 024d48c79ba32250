/** One object's identity as a map key: apiVersion, kind, namespace (empty for cluster-scoped) and name. */
export const objectKey = (ref: {apiVersion: string; kind: string; namespace?: string; name: string}) => `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
