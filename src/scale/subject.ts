import type {Cluster, KubeObject} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import {usageError} from '../errors.js';
import type {AutoscaleSettings} from '../render/parts.js';
import type {Deployment} from '../rollout/objects.js';
import type {StoredInputs} from '../app/stored-inputs.js';
import type {AppRecord} from '../app/inventory.js';

/** What the scale commands know about an app before they change anything. */
export interface ScaleSubject {
  app: string;
  namespace: string;
  record: AppRecord;
  stored: StoredInputs;
  deployment?: Deployment;
  /** The HorizontalPodAutoscaler that targets the app's Deployment: gshift's, or one made by hand. */
  autoscaler?: KubeObject;
}

export const HPA_API = 'autoscaling/v2';

/** The HPA that scales the Deployment: the one named like the app, else any whose target it is. */
export async function findAutoscaler(cluster: Cluster, namespace: string, deployment: string): Promise<KubeObject | undefined> {
  const targets = (hpa: KubeObject) => {
    const target = (hpa.spec as {scaleTargetRef?: {kind?: string; name?: string}} | undefined)?.scaleTargetRef;
    return target?.kind === 'Deployment' && target.name === deployment;
  };
  const named = await cluster.get({apiVersion: HPA_API, kind: 'HorizontalPodAutoscaler', name: deployment, namespace});
  if (named && targets(named)) return named;
  return (await cluster.list(HPA_API, 'HorizontalPodAutoscaler', {namespace})).items.find(targets);
}

/** An autoscaler's settings as gshift keeps them (resource utilisation targets only). */
export function settingsOf(hpa: KubeObject): AutoscaleSettings {
  const spec = hpa.spec as {minReplicas?: number; maxReplicas: number; metrics?: {type?: string; resource?: {name?: string; target?: {averageUtilization?: number}}}[]};
  const target = (name: string) => spec.metrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === name)?.resource?.target?.averageUtilization;
  const cpu = target('cpu');
  const memory = target('memory');
  return {min: spec.minReplicas ?? 1, max: spec.maxReplicas, ...(cpu !== undefined ? {cpu} : {}), ...(memory !== undefined ? {memory} : {})};
}

/**
 * The app and what scales it. A database is refused here: its replicas are not a count to
 * change (a second pod would be a second, empty database).
 */
export async function readSubject(session: Session, app: string): Promise<ScaleSubject> {
  const {cluster, target} = session;
  const namespace = target.namespace;
  const [{readDbRecord}, {requireInputs}, {findStack}] = await Promise.all([import('../db/inventory.js'), import('../app/redeploy.js'), import('../render/catalogue.js')]);
  if (await readDbRecord(cluster, namespace, app)) throw databaseRefusal(app, 'a database');
  const {record, stored} = await requireInputs(session, app);
  const stack = await findStack(stored.stack, session.config.values.templateDirs);
  if (stack.descriptor.kind === 'db') throw databaseRefusal(app, `a database (stack ${stack.name})`);
  const [deployment, autoscaler] = await Promise.all([
    cluster.get<Deployment>({apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace}),
    findAutoscaler(cluster, namespace, app),
  ]);
  return {app, namespace, record, stored, ...(deployment ? {deployment} : {}), ...(autoscaler ? {autoscaler} : {})};
}

function databaseRefusal(app: string, what: string) {
  return usageError(`${app} is ${what}: more replicas of it would be separate, empty databases, so gshift does not scale it by count.`, `a database gets high availability (a replicated cluster) from gshift db create ${app} --ha.`, {app});
}
