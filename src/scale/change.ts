/**
 * `gshift scale APP --replicas N | --min/--max [--cpu] [--memory] | --manual [--replicas N]`.
 *
 * The setting is kept in the app's stored inputs, so every later render (app deploy, env set,
 * promote, a re-run of create) keeps it; the app is then rendered and applied again, the path
 * every app command takes. The count itself changes through the scale subresource, as
 * `kubectl scale` does, and the quota is asked first: a scale-up it would refuse is refused here,
 * before anything changes.
 */
import {SCALE_MANAGER, handOverCount} from '../app/apply.js';
import type {ApplyTracker} from '../converge/engine.js';
import type {KubeObject} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import {usageError} from '../errors.js';
import type {AutoscaleSettings} from '../render/parts.js';
import type {RedeployResult} from '../app/redeploy.js';
import type {StoredInputs} from '../app/stored-inputs.js';
import {checkQuota, maxWarning, readQuotaPicture, tenantOf} from './quota-check.js';
import {checkTargets, mergeAutoscale, type ScaleChange} from './request.js';
import {HPA_API, readSubject, settingsOf, type ScaleSubject} from './subject.js';


export interface ScaleResult extends Omit<RedeployResult, 'inputs'> {
  change: Exclude<ScaleChange['kind'], 'show'>;
  /** The count before, and the autoscaler's settings before (if it had one). */
  before: {replicas: number; autoscale?: AutoscaleSettings};
  /** The fixed count after (replicas, manual), or the autoscaler's settings (autoscale). */
  after: {replicas?: number; autoscale?: AutoscaleSettings};
}

type Options = {tooling: string; tracker?: ApplyTracker};

const currentReplicas = (subject: ScaleSubject) => subject.deployment?.spec?.replicas ?? 1;

export async function scaleApp(session: Session, app: string, change: Exclude<ScaleChange, {kind: 'show'}>, options: Options): Promise<ScaleResult> {
  const subject = await readSubject(session, app);
  if (change.kind === 'replicas') return setReplicas(session, subject, change.replicas, options);
  if (change.kind === 'manual') return pinReplicas(session, subject, change.replicas, options);
  return autoscale(session, subject, change, options);
}

/** A fixed count. Where an autoscaler owns the count it would undo it: refused, with the two ways forward. */
async function setReplicas(session: Session, subject: ScaleSubject, replicas: number, options: Options): Promise<ScaleResult> {
  const {app} = subject;
  if (subject.autoscaler) {
    const {min, max} = settingsOf(subject.autoscaler);
    throw usageError(
      `${app} is autoscaled (${min}–${max} replicas): the autoscaler would undo a fixed count of ${replicas} within seconds.`,
      `change its bounds with gshift scale ${app} --min ${Math.min(replicas, max)} --max ${Math.max(replicas, max)}, or remove it and pin the count with gshift scale ${app} --manual --replicas ${replicas}.`,
      {app, replicas, min, max},
    );
  }
  return fixCount(session, subject, replicas, {...subject.stored, replicas}, 'replicas', options);
}

/** `--manual`: no autoscaler (also where the platform would add one), the count pinned at N or where it is now. */
async function pinReplicas(session: Session, subject: ScaleSubject, requested: number | undefined, options: Options): Promise<ScaleResult> {
  const replicas = requested ?? currentReplicas(subject);
  return fixCount(session, subject, replicas, {...subject.stored, replicas, autoscale: false}, 'manual', options);
}

async function fixCount(session: Session, subject: ScaleSubject, replicas: number, inputs: StoredInputs, change: 'replicas' | 'manual', options: Options): Promise<ScaleResult> {
  const {cluster} = session;
  const {app, namespace} = subject;
  const current = currentReplicas(subject);
  const before = {replicas: current, ...(subject.autoscaler ? {autoscale: settingsOf(subject.autoscaler)} : {})};
  // Bad input (fewer than 2 in a high-availability environment, a stack with one replica) fails in the render, before any write.
  const desired = await render(session, app, inputs);
  await checkClaims(session, namespace, desired.objects);
  if (replicas > current) checkQuota(await readQuotaPicture(cluster, namespace, subject.deployment), {app, namespace, replicas, current, tenant: session.target.tenant ?? tenantOf(subject.deployment)});
  // The autoscaler goes first, so it cannot scale back between the new count and the apply.
  if (subject.autoscaler) await cluster.delete({apiVersion: HPA_API, kind: 'HorizontalPodAutoscaler', name: subject.autoscaler.metadata.name!, namespace});
  if (replicas !== current && subject.deployment) await scaleSubresource(session, namespace, app, replicas);
  const result = await redeploy(session, app, inputs, options);
  return {...result, changed: result.changed || replicas !== current || Boolean(subject.autoscaler), change, before, after: {replicas}};
}

/** `--min/--max [--cpu] [--memory]`: an autoscaler with these settings, the rest kept from the current one. */
async function autoscale(session: Session, subject: ScaleSubject, change: Extract<ScaleChange, {kind: 'autoscale'}>, options: Options): Promise<ScaleResult> {
  const {cluster, config} = session;
  const {app, namespace, stored} = subject;
  const current = currentReplicas(subject);
  const existing = stored.autoscale || (subject.autoscaler ? settingsOf(subject.autoscaler) : undefined);
  const floor = config.values.haEnvironments.includes(session.target.env ?? '') ? 2 : 1;
  const settings = mergeAutoscale(change, existing, floor, app);
  const inputs: StoredInputs = {...stored, autoscale: settings};
  const desired = await render(session, app, inputs);
  checkTargets(app, desired.objects, settings);
  await checkClaims(session, namespace, desired.objects);
  const picture = await readQuotaPicture(cluster, namespace, subject.deployment);
  // The autoscaler starts the app at its minimum (see applyApp): that part must fit now.
  if (settings.min > current) checkQuota(picture, {app, namespace, replicas: settings.min, current, tenant: session.target.tenant ?? tenantOf(subject.deployment)});
  const warning = maxWarning(picture, {app, namespace, max: settings.max, current});
  if (!subject.autoscaler && subject.deployment) await handOverCount(session.cluster, namespace, app, current);
  const result = await redeploy(session, app, inputs, options);
  return {...result, warnings: [...(warning ? [warning] : []), ...result.warnings], change: 'autoscale', before: {replicas: current, ...(existing ? {autoscale: existing} : {})}, after: {autoscale: settings}};
}

async function render(session: Session, app: string, inputs: StoredInputs) {
  const [{renderDesired}, {canonicalInputs}] = await Promise.all([import('../app/desired.js'), import('../app/stored-inputs.js')]);
  return renderDesired(session, app, canonicalInputs(inputs));
}

async function redeploy(session: Session, app: string, inputs: StoredInputs, options: Options) {
  const {redeploy: apply} = await import('../app/redeploy.js');
  const {inputs: _recorded, ...result} = await apply(session, app, inputs, {tooling: options.tooling, ...(options.tracker ? {tracker: options.tracker} : {})});
  return result;
}

/** Through the scale subresource, as `kubectl scale`: only the count changes. */
async function scaleSubresource(session: Session, namespace: string, app: string, replicas: number): Promise<void> {
  await session.cluster.patch({apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace}, {spec: {replicas}}, {type: 'merge', subresource: 'scale', fieldManager: SCALE_MANAGER});
}


/**
 * A volume claim's access mode follows the replicas (ReadWriteMany for more than one) but cannot
 * change once the claim exists: refuse a count that would need another than the claim has.
 */
async function checkClaims(session: Session, namespace: string, objects: readonly KubeObject[]): Promise<void> {
  for (const claim of objects.filter((object) => object.kind === 'PersistentVolumeClaim')) {
    const live = await session.cluster.get({apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.metadata.name!, namespace});
    const wanted = ((claim.spec as {accessModes?: string[]}).accessModes ?? []).join(',');
    const has = ((live?.spec as {accessModes?: string[]} | undefined)?.accessModes ?? []).join(',');
    if (live && wanted !== has) {
      throw usageError(
        `The volume claim ${claim.metadata.name} is ${has}, and ${wanted === 'ReadWriteMany' ? 'more than one replica needs' : 'one replica takes'} ${wanted}; a claim's access mode cannot change.`,
        'keep the count on the same side of one, or move the data to a new claim first.',
        {claim: claim.metadata.name, accessModes: has},
      );
    }
  }
}
