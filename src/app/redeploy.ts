import type {KubeObject} from '../cluster/index.js';
import {GshiftError} from '../errors.js';
import {applyApp, type AppApplyResult, type ApplyTracker} from './apply.js';
import {parentLabels, renderDesired, storableInputs} from './desired.js';
import {requireRecord, type AppRecord} from './inventory.js';
import type {Session} from '../core/session.js';
import {canonicalInputs, readStoredInputs, type StoredInputs} from './stored-inputs.js';

export interface RedeployResult extends AppApplyResult {
  app: string;
  namespace: string;
  /** The app's Deployments, to follow. */
  deployments: string[];
  inputs: StoredInputs;
}

/** The app's record and its stored inputs; an app gshift did not create (or cannot read) is an error. */
export async function requireInputs(session: Session, app: string): Promise<{record: AppRecord; stored: StoredInputs}> {
  const namespace = session.target.namespace;
  const record = await requireRecord(session.cluster, namespace, app);
  const stored = readStoredInputs(record);
  if (!stored) {
    throw new GshiftError('CONFLICT', `App ${app} in ${namespace} has no inputs gshift can read on its record (ConfigMap ${record.parent.metadata.name}).`, {
      hint: `run gshift app create ${app} --stack STACK -n ${namespace} once to record them.`,
    });
  }
  return {record, stored};
}

/**
 * Renders the app from changed inputs and applies it, the same path create takes: so deploy,
 * promote, env and rollback never fight create over fields, and a later create with the same
 * inputs changes nothing. `transform` adjusts the rendered objects (rollback's pod template).
 */
export async function redeploy(
  session: Session,
  app: string,
  inputs: StoredInputs,
  options: {tooling: string; tracker?: ApplyTracker; force?: boolean; transform?: (objects: KubeObject[]) => KubeObject[]},
): Promise<RedeployResult> {
  const namespace = session.target.namespace;
  const canonical = canonicalInputs(inputs);
  const desired = await renderDesired(session, app, canonical);
  const objects = options.transform ? options.transform(desired.objects) : desired.objects;
  const recorded = storableInputs(canonical, desired);
  const result = await applyApp(
    session.cluster,
    {app, namespace, objects, inputs: recorded, labels: parentLabels(desired.input), tooling: options.tooling, force: options.force},
    options.tracker,
  );
  return {
    ...result,
    warnings: [...desired.warnings, ...result.warnings],
    app,
    namespace,
    deployments: objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name!),
    inputs: recorded,
  };
}
