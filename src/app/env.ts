import {MASK} from '../core/secret-masking.js';
import type {Cluster, KubeObject} from '../cluster/index.js';
import {GshiftError, usageError} from '../errors.js';
import {APP_LABEL, MANAGED_BY_LABEL, MANAGER} from '../core/labels.js';
import {parseEnvVars} from './inputs.js';
import type {StoredInputs} from './stored-inputs.js';
import {byCodePoint} from '../core/order.js';

/**
 * An app's environment: plain values in the ConfigMap `<app>-env` (rendered from the stored
 * inputs, part of the app's ApplySet) and secret values in the Secret `<app>-env-secret`
 * (written here, never stored in the inputs, so a re-render cannot prune or print them). The
 * Deployment reads both with envFrom, the Secret last so its values win.
 */
export const envConfigMapName = (app: string) => `${app}-env`;
export const envSecretName = (app: string) => `${app}-env-secret`;

const SECRET_VERSION_ANNOTATION = 'gshift.io/secret-env-version';

type Json = Record<string, any>;

/**
 * Adds the env Secret to the main container's envFrom and its version to the pod template, so
 * changing a secret value rolls the pods as changing a plain one does.
 */
export function withSecretEnvironment(objects: KubeObject[], app: string, version: string): KubeObject[] {
  return objects.map((object) => {
    if (object.kind !== 'Deployment' || object.metadata.name !== app) return object;
    const copy = structuredClone(object) as Json;
    const template = copy.spec.template;
    const container = template.spec.containers[0];
    container.envFrom = [...(container.envFrom ?? []), {secretRef: {name: envSecretName(app), optional: true}}];
    template.metadata = {...template.metadata, annotations: {...template.metadata?.annotations, [SECRET_VERSION_ANNOTATION]: version}};
    return copy as KubeObject;
  });
}

/** The env Secret, complete, for server-side apply (data base64-encoded, so a no-op apply writes nothing). */
export function envSecret(app: string, namespace: string, values: Record<string, string>): KubeObject {
  const data = Object.fromEntries(Object.entries(values).sort(([a], [b]) => byCodePoint(a, b)).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: envSecretName(app), namespace, labels: {[APP_LABEL]: app, [MANAGED_BY_LABEL]: MANAGER}},
    type: 'Opaque',
    data,
  };
}

export async function readSecretValues(cluster: Cluster, namespace: string, app: string): Promise<Record<string, string>> {
  const secret = await cluster.get<KubeObject & {data?: Record<string, string>}>({apiVersion: 'v1', kind: 'Secret', name: envSecretName(app), namespace});
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
}

export interface EnvListing {
  app: string;
  namespace: string;
  variables: {name: string; value: string; secret: boolean}[];
  revealed: boolean;
}

/** The app's variables, secret values masked unless `reveal`. */
export async function listEnv(cluster: Cluster, namespace: string, app: string, stored: StoredInputs, options: {reveal?: boolean} = {}): Promise<EnvListing> {
  const secrets = stored.secretEnv ? await readSecretValues(cluster, namespace, app) : {};
  const variables = [
    ...Object.entries(stored.envVars ?? {}).filter(([name]) => !(name in secrets)).map(([name, value]) => ({name, value, secret: false})),
    ...Object.entries(secrets).map(([name, value]) => ({name, value: options.reveal ? value : MASK, secret: true})),
  ].sort((a, b) => byCodePoint(a.name, b.name));
  return {app, namespace, variables, revealed: Boolean(options.reveal)};
}

/** `K=V` assignments for `env set`, with the rules of --env-var. */
export function parseAssignments(assignments: readonly string[]): Record<string, string> {
  if (assignments.length === 0) throw usageError('Nothing to set: pass one or more KEY=VALUE.', 'write e.g. gshift app env set web LOG_LEVEL=debug.');
  return parseEnvVars(assignments, {what: 'Argument', example: 'gshift app env set web LOG_LEVEL=debug'});
}

export interface EnvChange {
  /** The inputs with the new plain values (secret keys removed from them). */
  inputs: StoredInputs;
  /** The new secret values, when they changed; undefined when the Secret stays as it is. */
  secrets?: Record<string, string>;
  changedKeys: string[];
}

/** Plans `env set`: a key moves between plain and secret when set the other way. */
export function planSet(stored: StoredInputs, currentSecrets: Record<string, string>, values: Record<string, string>, secret: boolean): EnvChange {
  const plain = {...stored.envVars};
  const secrets = {...currentSecrets};
  const changedKeys: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const [target, other] = secret ? [secrets, plain] : [plain, secrets];
    if (target[key] !== value || key in other) changedKeys.push(key);
    target[key] = value;
    delete other[key];
  }
  return finish(stored, currentSecrets, plain, secrets, changedKeys);
}

/** Plans `env unset`: removes the keys wherever they are; unknown keys change nothing. */
export function planUnset(stored: StoredInputs, currentSecrets: Record<string, string>, keys: readonly string[]): EnvChange {
  if (keys.length === 0) throw usageError('Nothing to unset: pass one or more variable names.', 'write e.g. gshift app env unset web LOG_LEVEL.');
  const plain = {...stored.envVars};
  const secrets = {...currentSecrets};
  const changedKeys = keys.filter((key) => key in plain || key in secrets);
  for (const key of keys) {
    delete plain[key];
    delete secrets[key];
  }
  return finish(stored, currentSecrets, plain, secrets, changedKeys);
}

function finish(stored: StoredInputs, before: Record<string, string>, plain: Record<string, string>, secrets: Record<string, string>, changedKeys: string[]): EnvChange {
  const {envVars: _old, ...rest} = stored;
  const inputs: StoredInputs = {...rest, ...(Object.keys(plain).length > 0 ? {envVars: plain} : {})};
  const secretsChanged = JSON.stringify(sortedEntries(before)) !== JSON.stringify(sortedEntries(secrets));
  return {inputs, ...(secretsChanged ? {secrets} : {}), changedKeys};
}

const sortedEntries = (map: Record<string, string>) => Object.entries(map).sort(([a], [b]) => byCodePoint(a, b));

/**
 * Writes the env Secret (or deletes it when empty) and returns the inputs' new `secretEnv`:
 * the Secret's resourceVersion, which changes exactly when its data does.
 */
export async function writeSecrets(cluster: Cluster, namespace: string, app: string, secrets: Record<string, string>): Promise<string | undefined> {
  if (Object.keys(secrets).length === 0) {
    await cluster.delete({apiVersion: 'v1', kind: 'Secret', name: envSecretName(app), namespace});
    return undefined;
  }
  const [outcome] = await cluster.apply([envSecret(app, namespace, secrets)], {namespace});
  const version = outcome?.object.metadata.resourceVersion;
  if (!version) throw new GshiftError('SERVER', `The cluster did not return a version for Secret ${envSecretName(app)}.`, {hint: 'run the command again.'});
  return version;
}
