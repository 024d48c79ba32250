import type {AppRenderInput} from '../render/compose.js';
import {readAttachment, type CertificateAttachment} from '../cert/attachment.js';
import type {AppRecord} from './inventory.js';
import {type SecretReference, readSecretReferences} from './secret-references.js';
import {byCodePoint} from '../core/order.js';

/**
 * The inputs an app was last rendered from, kept on its ApplySet parent so that deploy,
 * promote, env and a later create can render it again and change only what they are about.
 * Only what the user chose is kept (no defaults), so a newer stack default still applies.
 * Secret values are never kept here: `secretEnv` only says that the app has some.
 */
export interface StoredInputs extends Pick<AppRenderInput, 'stack' | 'image' | 'port' | 'replicas' | 'autoscale' | 'envVars' | 'params' | 'storage' | 'host'> {
  /** The env Secret's resourceVersion when it last changed: on the pod template, so a change rolls the pods. */
  secretEnv?: string;
  /** Databases attached with `gshift db attach`: env prefix → "engine/database" (see src/db/binding.ts). */
  databases?: Record<string, string>;
  /** The TLS certificate attached with `gshift cert add`/`issue` (see src/cert/attachment.ts). */
  certificate?: CertificateAttachment;
  /** Variables from other Secrets' keys (gshift.yaml's secretEnv): NAME → {secret, key}. */
  secretRefs?: Record<string, SecretReference>;
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** `gshift scale`'s setting: an autoscaler's bounds and targets, or false for a fixed count. */
function readAutoscale(value: unknown): StoredInputs['autoscale'] {
  if (value === false) return false;
  const settings = value as Record<string, unknown> | null;
  if (typeof settings !== 'object' || settings === null || !isCount(settings.min) || !isCount(settings.max)) return undefined;
  return {min: settings.min, max: settings.max, ...(isCount(settings.cpu) ? {cpu: settings.cpu} : {}), ...(isCount(settings.memory) ? {memory: settings.memory} : {})};
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');

/** The stored inputs, or undefined when the parent has none gshift can read. */
export function readStoredInputs(record: Pick<AppRecord, 'inputs'> | undefined): StoredInputs | undefined {
  const raw = record?.inputs as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object' || typeof raw.stack !== 'string') return undefined;
  const stored: StoredInputs = {stack: raw.stack};
  if (typeof raw.image === 'string') stored.image = raw.image;
  if (typeof raw.port === 'number') stored.port = raw.port;
  if (typeof raw.replicas === 'number') stored.replicas = raw.replicas;
  const autoscale = readAutoscale(raw.autoscale);
  if (autoscale !== undefined) stored.autoscale = autoscale;
  if (isStringMap(raw.envVars)) stored.envVars = raw.envVars;
  if (isStringMap(raw.params)) stored.params = raw.params;
  if (typeof raw.storage === 'string') stored.storage = raw.storage;
  if (typeof raw.host === 'string') stored.host = raw.host;
  if (typeof raw.secretEnv === 'string') stored.secretEnv = raw.secretEnv;
  if (isStringMap(raw.databases)) stored.databases = raw.databases;
  const certificate = readAttachment(raw.certificate);
  if (certificate) stored.certificate = certificate;
  const secretRefs = readSecretReferences(raw.secretRefs);
  if (secretRefs) stored.secretRefs = secretRefs;
  return stored;
}

/** A canonical copy: keys in a fixed order and empty maps dropped, so equal inputs give equal JSON. */
export function canonicalInputs(inputs: StoredInputs): StoredInputs {
  const sorted = (map: Record<string, string> | undefined) =>
    map && Object.keys(map).length > 0 ? Object.fromEntries(Object.entries(map).sort(([a], [b]) => byCodePoint(a, b))) : undefined;
  const result: StoredInputs = {stack: inputs.stack};
  if (inputs.image !== undefined) result.image = inputs.image;
  if (inputs.port !== undefined) result.port = inputs.port;
  if (inputs.replicas !== undefined) result.replicas = inputs.replicas;
  if (inputs.autoscale !== undefined) result.autoscale = inputs.autoscale === false ? false : readAutoscale(inputs.autoscale)!;
  const envVars = sorted(inputs.envVars);
  if (envVars) result.envVars = envVars;
  const params = sorted(inputs.params);
  if (params) result.params = params;
  if (inputs.storage !== undefined) result.storage = inputs.storage;
  if (inputs.host !== undefined) result.host = inputs.host;
  if (inputs.secretEnv !== undefined) result.secretEnv = inputs.secretEnv;
  const databases = sorted(inputs.databases);
  if (databases) result.databases = databases;
  if (inputs.certificate) result.certificate = {secret: inputs.certificate.secret, termination: inputs.certificate.termination};
  const secretRefs = Object.entries(inputs.secretRefs ?? {}).sort(([a], [b]) => byCodePoint(a, b));
  if (secretRefs.length > 0) result.secretRefs = Object.fromEntries(secretRefs.map(([name, reference]) => [name, {secret: reference.secret, key: reference.key}]));
  return result;
}
