// One rule for every command that prints manifests (`app create --dry-run`, `template process`,
// the objects in a --json result): the values of Secrets are masked unless --reveal, and a
// masked output says so, because `… | kubectl apply -f -` would otherwise store "••••" as a
// password without a word.
import type {KubeObject} from '../cluster/index.js';

export const MASK = '••••';

type SecretObject = KubeObject & {data?: Record<string, string>; stringData?: Record<string, string>};

/** A copy of the object with every Secret value (and a Route's inline private key) replaced by ••••; other kinds as they are. */
export function maskSecretValues<T extends KubeObject>(object: T): T {
  if (object.kind === 'Route') return maskRouteKey(object);
  if (object.kind !== 'Secret') return object;
  const secret = object as SecretObject;
  const mask = (values: Record<string, string> | undefined) => (values ? Object.fromEntries(Object.keys(values).map((key) => [key, MASK])) : undefined);
  const copy: SecretObject = {...secret};
  if (secret.data) copy.data = mask(secret.data);
  if (secret.stringData) copy.stringData = mask(secret.stringData);
  return copy as T;
}

/** A Route with a certificate carries its private key inline (spec.tls.key). */
function maskRouteKey<T extends KubeObject>(route: T): T {
  const spec = route.spec as {tls?: {key?: string}} | undefined;
  if (!spec?.tls?.key) return route;
  return {...route, spec: {...spec, tls: {...spec.tls, key: MASK}}};
}

/** What a changed value of a Secret shows in place of the value: that it changed, not what to. */
export const CHANGED_MASK = `${MASK} (changed)`;

/**
 * A Secret before and after a change, masked so that a diff of the two still says which keys
 * changed: a key whose value differs shows ${CHANGED_MASK} after, one that is the same ${MASK} on both sides.
 */
export function maskSecretChange<T extends KubeObject>(before: T | undefined, after: T): {before?: T; after: T} {
  if (after.kind !== 'Secret') return {...(before ? {before: maskSecretValues(before)} : {}), after: maskSecretValues(after)};
  const valuesOf = (object: KubeObject | undefined) => {
    const secret = object as SecretObject | undefined;
    const decoded = Object.entries(secret?.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')] as const);
    return {...Object.fromEntries(decoded), ...secret?.stringData} as Record<string, string>;
  };
  const old = valuesOf(before);
  const current = valuesOf(after);
  const masked = maskSecretValues(after) as SecretObject;
  for (const field of ['data', 'stringData'] as const) {
    for (const key of Object.keys(masked[field] ?? {})) {
      if (before && key in old && old[key] !== current[key]) masked[field]![key] = CHANGED_MASK;
    }
  }
  return {...(before ? {before: maskSecretValues(before)} : {}), after: masked as unknown as T};
}

export interface PrintableManifests {
  objects: KubeObject[];
  /** The Secrets whose values were masked (empty when revealed or when there are none). */
  masked: string[];
}

/** The manifests to print: masked unless `reveal`, with the names of the Secrets that were. */
export function printableManifests(objects: readonly KubeObject[], reveal: boolean): PrintableManifests {
  if (reveal) return {objects: [...objects], masked: []};
  const masked = objects.filter((object) => object.kind === 'Secret' && Object.keys({...(object as SecretObject).data, ...(object as SecretObject).stringData}).length > 0);
  return {objects: objects.map(maskSecretValues), masked: masked.map((secret) => secret.metadata.name ?? '')};
}
