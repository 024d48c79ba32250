import type {KubeObject} from '../cluster/index.js';
import {labelSelectorString, type Deployment, type ReplicaSet} from '../rollout/objects.js';
import {notFoundError} from '../errors.js';
import type {ApplyTracker} from './apply.js';
import {redeploy, requireInputs, type RedeployResult} from './redeploy.js';
import {planRollback, revisionHistory, templateForRollback} from './revisions.js';
import type {Session} from '../core/session.js';

export interface RollbackResult extends RedeployResult {
  fromRevision: number;
  toRevision: number;
  image: string;
}

/**
 * `app rollback [--to-revision N]`: puts back the pod template of an earlier revision, as
 * `kubectl rollout undo` does, through the same apply as every other change (taking over
 * template fields another manager changed since: going back is what was asked), and records
 * its image as the app's, so the next create keeps it.
 */
export async function rollbackApp(session: Session, app: string, options: {toRevision?: number; tooling: string; tracker?: ApplyTracker}): Promise<RollbackResult> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const {stored} = await requireInputs(session, app);
  const deployment = await cluster.get<Deployment>({apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace});
  if (!deployment) throw notFoundError(`Deployment ${app} does not exist in ${namespace}, so it has no history to roll back.`, `create it again with gshift app create ${app} --stack ${stored.stack}.`);
  const replicaSets = await cluster.list<ReplicaSet>('apps/v1', 'ReplicaSet', {namespace, labelSelector: labelSelectorString(deployment.spec?.selector)});
  const plan = planRollback(deployment, revisionHistory(deployment, replicaSets.items), options.toRevision);
  const template = templateForRollback(plan.to.replicaSet);
  const image = plan.to.images[0]!;
  const restoreTemplate = (objects: KubeObject[]) =>
    objects.map((object) => (object.kind === 'Deployment' && object.metadata.name === app ? {...object, spec: {...(object.spec as object), template}} : object));
  const result = await redeploy(session, app, {...stored, image}, {tooling: options.tooling, tracker: options.tracker, force: true, transform: restoreTemplate});
  return {...result, fromRevision: plan.from, toRevision: plan.to.revision, image};
}
