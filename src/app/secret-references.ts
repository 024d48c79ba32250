import type {KubeObject} from '../cluster/index.js';
import {byCodePoint} from '../core/order.js';

/**
 * Variables an app takes from Secrets that someone else keeps in the namespace (an API token a
 * team put there, a certificate's password): `secretKeyRef`s on the main container, so gshift
 * never reads, stores or prints the values. gshift.yaml's `secretEnv` declares them.
 */
export interface SecretReference {
  secret: string;
  key: string;
}

type Json = Record<string, any>;

/** The app's Deployment with one `NAME: secretKeyRef` variable per reference (replacing any of the same name), sorted by name. */
export function withSecretReferences(objects: KubeObject[], app: string, references: Record<string, SecretReference> | undefined): KubeObject[] {
  const entries = Object.entries(references ?? {}).sort(([a], [b]) => byCodePoint(a, b));
  if (entries.length === 0) return objects;
  const names = new Set(entries.map(([name]) => name));
  return objects.map((object) => {
    if (object.kind !== 'Deployment' || object.metadata.name !== app) return object;
    const copy = structuredClone(object) as Json;
    const container = copy.spec.template.spec.containers[0];
    const variables = entries.map(([name, reference]) => ({name, valueFrom: {secretKeyRef: {name: reference.secret, key: reference.key}}}));
    container.env = [...((container.env ?? []) as Json[]).filter((variable) => !names.has(variable.name)), ...variables];
    return copy as KubeObject;
  });
}

/** The references in stored inputs, or undefined when there are none gshift can read. */
export function readSecretReferences(raw: unknown): Record<string, SecretReference> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entries = Object.entries(raw as Record<string, unknown>).filter(
    (entry): entry is [string, SecretReference] => typeof (entry[1] as SecretReference)?.secret === 'string' && typeof (entry[1] as SecretReference)?.key === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries.map(([name, reference]) => [name, {secret: reference.secret, key: reference.key}])) : undefined;
}
