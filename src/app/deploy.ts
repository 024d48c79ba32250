import type {ApplyTracker} from './apply.js';
import {parseImageReference} from './inputs.js';
import {redeploy, requireInputs, type RedeployResult} from './redeploy.js';
import type {Session} from '../core/session.js';

export interface DeployResult extends RedeployResult {
  image: string;
  /** The image the app ran before, when gshift recorded one. */
  previousImage?: string;
}

/** `app deploy NAME --image IMG`: the app as it is, with another image. */
export async function deployImage(session: Session, app: string, image: string, options: {tooling: string; tracker?: ApplyTracker}): Promise<DeployResult> {
  parseImageReference(image);
  const {stored} = await requireInputs(session, app);
  const result = await redeploy(session, app, {...stored, image}, options);
  return {...result, image, ...(stored.image ? {previousImage: stored.image} : {})};
}

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export interface RestartResult {
  app: string;
  namespace: string;
  deployments: string[];
  restartedAt: string;
}

/**
 * `app restart`: what `kubectl rollout restart` does — a new pod-template annotation, so the
 * Deployment replaces its pods one by one. Patched (not applied), so a later create leaves it be.
 */
export async function restartApp(session: Session, app: string, now = new Date()): Promise<RestartResult> {
  const {cluster, target} = session;
  await requireInputs(session, app);
  const restartedAt = now.toISOString();
  await cluster.patch(
    {apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace: target.namespace},
    {spec: {template: {metadata: {annotations: {[RESTARTED_AT_ANNOTATION]: restartedAt}}}}},
    {type: 'strategic', fieldManager: 'gshift-restart'},
  );
  return {app, namespace: target.namespace, deployments: [app], restartedAt};
}
