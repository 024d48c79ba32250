import type {ApplyTracker} from './apply.js';
import {planSet, planUnset, readSecretValues, writeSecrets, type EnvChange} from './env.js';
import {redeploy, requireInputs, type RedeployResult} from './redeploy.js';
import type {Session} from '../core/session.js';

export interface EnvUpdateResult extends Partial<RedeployResult> {
  app: string;
  namespace: string;
  /** The variables whose value or kind (plain/secret) changed; values are never listed. */
  changedKeys: string[];
  changed: boolean;
  deployments: string[];
}

/**
 * `app env set` / `app env unset`: writes the Secret first when secret values changed (its new
 * version goes on the pod template), then renders and applies the app with the new plain values.
 * The ConfigMap's hash and the Secret's version on the pod template roll the pods.
 */
export async function updateEnv(
  session: Session,
  app: string,
  request: {set?: Record<string, string>; unset?: readonly string[]; secret?: boolean},
  options: {tooling: string; tracker?: ApplyTracker},
): Promise<EnvUpdateResult> {
  const namespace = session.target.namespace;
  const {stored} = await requireInputs(session, app);
  const currentSecrets = stored.secretEnv ? await readSecretValues(session.cluster, namespace, app) : {};
  const change: EnvChange = request.set ? planSet(stored, currentSecrets, request.set, Boolean(request.secret)) : planUnset(stored, currentSecrets, request.unset ?? []);
  if (change.changedKeys.length === 0) return {app, namespace, changedKeys: [], changed: false, deployments: []};

  const inputs = {...change.inputs};
  if (change.secrets) {
    const version = await writeSecrets(session.cluster, namespace, app, change.secrets);
    if (version) inputs.secretEnv = version;
    else delete inputs.secretEnv;
  }
  const result = await redeploy(session, app, inputs, options);
  return {...result, changedKeys: change.changedKeys, changed: true};
}
