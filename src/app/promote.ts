import {checkEnvironment} from '../core/target.js';
import {GshiftError, notFoundError, usageError} from '../errors.js';
import {labelSelectorString, type Deployment, type Pod} from '../rollout/objects.js';
import type {ApplyTracker} from './apply.js';
import {digestOfImageId, pinnedImage, unhealthyReason} from './health.js';
import {redeploy, requireInputs, type RedeployResult} from './redeploy.js';
import type {Session} from '../core/session.js';

export interface PromoteResult extends RedeployResult {
  from: {env: string; namespace: string; image: string; digest: string};
  to: {env: string; namespace: string};
  /** `repository@sha256:…`: what the target now runs. */
  image: string;
  /** The source was not healthy and --force promoted it anyway. */
  forced: boolean;
}

/**
 * The tenant whose environments a promote moves between, as the target resolved it (flags,
 * config, the namespace's labels or its `<tenant>-<env>` name).
 */
export function tenantOf(session: Pick<Session, 'target'>): string {
  if (session.target.tenant) return session.target.tenant;
  throw usageError(`gshift cannot tell the tenant from the namespace "${session.target.namespace}".`, 'pass --tenant (the environments live in namespaces <tenant>-<env>).');
}

/**
 * The digest the source's current pods run, from their container statuses (the tag may have
 * moved since). Ready pods are asked first; `force` (promoting an unhealthy source) takes the
 * digest a running but unready or crashing container reports, as kubelet pulled it all the same.
 */
export function runningDigest(deployment: Deployment, pods: readonly Pod[], options: {force?: boolean} = {}): {image: string; digest: string} {
  const container = deployment.spec?.template?.spec?.containers?.[0];
  const name = deployment.metadata.name;
  const digestsOf = (readyOnly: boolean) => {
    const digests = new Map<string, string>();
    for (const pod of pods) {
      const status = pod.status?.containerStatuses?.find((candidate) => candidate.name === container?.name);
      const digest = digestOfImageId((status as {imageID?: string} | undefined)?.imageID);
      if (digest && (status?.ready || !readyOnly)) digests.set(digest, container?.image ?? status?.image ?? '');
    }
    return digests;
  };
  let digests = digestsOf(true);
  if (digests.size === 0 && options.force) digests = digestsOf(false);
  if (digests.size === 0) {
    throw notFoundError(
      `No ${options.force ? '' : 'ready '}pod of ${name} reports the digest of the image it runs, so there is nothing exact to promote.`,
      `check the source with gshift app status ${name}${options.force ? ' (its image may not have been pulled)' : ''}.`,
    );
  }
  if (digests.size > 1) {
    throw new GshiftError('CONFLICT', `The pods of ${name} run different image digests (${[...digests.keys()].join(', ')}): a rollout is still in progress.`, {
      hint: 'wait for the rollout to finish, then promote again.',
    });
  }
  const [[digest, image]] = [...digests.entries()] as [[string, string]];
  return {image, digest};
}

/** Pods that run the Deployment's current images (not old ones on their way out). */
export function currentTemplatePods(deployment: Deployment, pods: readonly Pod[]): Pod[] {
  const images = (deployment.spec?.template?.spec?.containers ?? []).map((container) => container.image).join(',');
  return pods.filter((pod) => !pod.metadata.deletionTimestamp && (pod.spec?.containers ?? []).map((container) => container.image).join(',') === images);
}

/**
 * `app promote NAME --from dev --to test`: the exact image digest the source environment runs
 * (not its tag, which may since point elsewhere), deployed with the target's own inputs.
 */
export async function promoteApp(
  session: Session,
  app: string,
  options: {from: string; to: string; force?: boolean; tooling: string; tracker?: ApplyTracker},
): Promise<PromoteResult> {
  if (options.from === options.to) throw usageError(`--from and --to are both "${options.from}".`, 'promote from one environment to another, e.g. --from dev --to test.');
  const environments = session.config.values.environments;
  checkEnvironment(options.from, environments, '--from');
  checkEnvironment(options.to, environments, '--to');
  const tenant = tenantOf(session);
  const at = (env: string): Session => ({...session, target: {namespace: `${tenant}-${env}`, tenant, env, source: 'tenant and env'}});
  const source = at(options.from);
  const target = at(options.to);
  const {cluster} = session;

  await requireInputs(source, app);
  const deployment = await cluster.get<Deployment>({apiVersion: 'apps/v1', kind: 'Deployment', name: app, namespace: source.target.namespace});
  if (!deployment) throw notFoundError(`App ${app} in ${source.target.namespace} has no Deployment to promote from.`, `check it with gshift app status ${app} --env ${options.from}.`);
  const pods = (await cluster.list<Pod>('v1', 'Pod', {namespace: source.target.namespace, labelSelector: labelSelectorString(deployment.spec?.selector)})).items;
  const problem = unhealthyReason(deployment, pods);
  if (problem && !options.force) {
    throw new GshiftError('CONFLICT', `App ${app} in ${options.from} is not healthy (${problem}), so gshift will not promote it.`, {
      hint: `fix it first (gshift app status ${app} --env ${options.from}), or pass --force to promote it anyway.`,
      details: {app, namespace: source.target.namespace, problem},
    });
  }
  const running = runningDigest(deployment, currentTemplatePods(deployment, pods), {force: Boolean(problem)});
  const {stored} = await requireInputs(target, app);
  const image = pinnedImage(running.image, running.digest);
  const result = await redeploy(target, app, {...stored, image}, {tooling: options.tooling, tracker: options.tracker});
  return {
    ...result,
    from: {env: options.from, namespace: source.target.namespace, image: running.image, digest: running.digest},
    to: {env: options.to, namespace: target.target.namespace},
    image,
    forced: Boolean(problem),
  };
}
