import type {X509Certificate} from 'node:crypto';

import type {ApplyTracker} from '../converge/engine.js';
import type {RedeployResult} from '../app/redeploy.js';
import type {StoredInputs} from '../app/stored-inputs.js';
import type {KubeObject, Platform} from '../cluster/index.js';
import type {Session} from '../core/session.js';
import {GshiftError, usageError} from '../errors.js';
import type {CertificateAttachment, Termination} from './attachment.js';
import {requireHosts} from './hosts.js';

/** Where a certificate goes on an app, decided (and checked) before anything is written. */
export interface AppPlan {
  app: string;
  stored: StoredInputs;
  platform: Platform;
  /** The host the certificate must cover: --host, else the app's own, else the one its Route was given. */
  host: string;
  /** --host, when the app had none of its own: it becomes the app's host. */
  newHost?: string;
}

/** The platform the app renders for: the config's, else the cluster's (Routes served: OpenShift). */
export async function appPlatform(session: Session): Promise<Platform> {
  const configured = session.config.values.platform;
  return configured === 'auto' ? (await session.cluster.discovery()).platform() : configured;
}

/**
 * Reads the app (NOT_FOUND when gshift has no such app) and settles the host and termination:
 * an app with a host of its own keeps it, --host names it when it has none, and a certificate
 * already attached is refused unless it is this one.
 */
export async function planAppAttachment(session: Session, request: {app: string; certificate: string; host?: string; termination?: Termination}): Promise<AppPlan> {
  const {requireInputs} = await import('../app/redeploy.js');
  const {stored} = await requireInputs(session, request.app);
  const platform = await appPlatform(session);
  if (platform === 'kubernetes' && request.termination === 'reencrypt') {
    throw usageError('Reencrypt termination is for OpenShift Routes; a Kubernetes Ingress terminates TLS at the edge.', 'leave out --termination on this cluster.', {check: 'termination'});
  }
  const attached = stored.certificate?.secret;
  if (attached && attached !== request.certificate) {
    throw new GshiftError('CONFLICT', `App ${request.app} already uses certificate ${attached}.`, {
      hint: `replace it in place with gshift cert rotate ${attached}, or take it off first with gshift cert remove ${attached}.`,
      details: {app: request.app, certificate: attached},
    });
  }
  if (request.host && stored.host && request.host.toLowerCase() !== stored.host.toLowerCase()) {
    throw usageError(`App ${request.app} is served at ${stored.host}, not ${request.host}.`, `leave out --host (the certificate must cover ${stored.host}), or give the app that host first.`, {check: 'host-mismatch', host: stored.host});
  }
  const host = request.host ?? (await appHost(session, request.app, stored, platform));
  if (!host) {
    throw usageError(`App ${request.app} has no host yet, so gshift cannot check that the certificate covers it.`, 'pass --host with the name the certificate is for (it becomes the app\'s host).', {check: 'no-host'});
  }
  return {app: request.app, stored, platform, host, ...(request.host && !stored.host ? {newHost: request.host} : {})};
}

/** The host an app is served at: its own, else the one its Route was given by the server (OpenShift's router domain). */
export async function appHost(session: Session, app: string, stored: StoredInputs, platform: Platform): Promise<string | undefined> {
  if (stored.host) return stored.host;
  const ref = platform === 'openshift' ? {apiVersion: 'route.openshift.io/v1', kind: 'Route'} : {apiVersion: 'networking.k8s.io/v1', kind: 'Ingress'};
  const exposed = (await session.cluster.get({...ref, name: app, namespace: session.target.namespace})) as (KubeObject & {spec?: {host?: string; rules?: {host?: string}[]}}) | undefined;
  return exposed?.spec?.host ?? exposed?.spec?.rules?.find((rule) => rule.host)?.host;
}

/** The host is covered by the leaf (RFC 6125), or a usage error naming what it covers. */
export const requirePlanHost = (plan: AppPlan, leaf: X509Certificate) => requireHosts(leaf, [plan.host]);

/** The app rendered and applied again with the certificate attached (and --host, when it had none). */
export async function attachToApp(session: Session, plan: AppPlan, attachment: CertificateAttachment, options: {tooling: string; tracker?: ApplyTracker}): Promise<RedeployResult> {
  const {redeploy} = await import('../app/redeploy.js');
  const inputs: StoredInputs = {...plan.stored, ...(plan.newHost ? {host: plan.newHost} : {}), certificate: attachment};
  return redeploy(session, plan.app, inputs, {tooling: options.tooling, ...(options.tracker ? {tracker: options.tracker} : {})});
}

/** The app rendered and applied again without its certificate: the Route back on the router's own, the Ingress without tls. */
export async function detachFromApp(session: Session, app: string, options: {tooling: string; tracker?: ApplyTracker}): Promise<RedeployResult> {
  const {requireInputs, redeploy} = await import('../app/redeploy.js');
  const {stored} = await requireInputs(session, app);
  const {certificate: _detached, ...rest} = stored;
  return redeploy(session, app, rest, {tooling: options.tooling, ...(options.tracker ? {tracker: options.tracker} : {})});
}

/** The apps in the namespace whose stored inputs attach this certificate, with the attachment. */
export async function appsUsing(session: Session, namespace: string, certificate: string): Promise<{app: string; attachment: CertificateAttachment}[]> {
  const [{listRecords}, {readStoredInputs}] = await Promise.all([import('../app/inventory.js'), import('../app/stored-inputs.js')]);
  const records = await listRecords(session.cluster, namespace);
  return records.flatMap((record) => {
    const attachment = readStoredInputs(record)?.certificate;
    return attachment?.secret === certificate ? [{app: record.app, attachment}] : [];
  });
}
