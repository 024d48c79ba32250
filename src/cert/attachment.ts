import type {KubeObject} from '../cluster/index.js';

/**
 * A certificate attached to an app: recorded in the app's stored inputs, so every render of the
 * app (create, deploy, env, promote) puts it on the app's Route or Ingress again.
 */
export interface CertificateAttachment {
  /** The kubernetes.io/tls Secret (the certificate's name in `gshift cert`). */
  secret: string;
  /** How the OpenShift router terminates TLS; an Ingress always terminates at the edge. */
  termination: Termination;
}

export const TERMINATIONS = ['edge', 'reencrypt'] as const;
export type Termination = (typeof TERMINATIONS)[number];

/** An attachment from stored JSON, or undefined when it is not one. */
export function readAttachment(raw: unknown): CertificateAttachment | undefined {
  const value = raw as Partial<CertificateAttachment> | undefined;
  if (!value || typeof value !== 'object' || typeof value.secret !== 'string') return undefined;
  return {secret: value.secret, termination: value.termination === 'reencrypt' ? 'reencrypt' : 'edge'};
}

/** What a Route carries inline, split from the Secret the way the router needs it. */
export interface RouteMaterial {
  /** The leaf alone. */
  certificate: string;
  /** The intermediates; empty when the leaf was issued by the root itself. */
  caCertificate: string;
  key: string;
}

type Json = Record<string, any>;

/**
 * The app's Route or Ingress with the certificate: on a Route, spec.tls with the inline fields
 * the router reads (leaf in `certificate`, intermediates in `caCertificate`, the key in `key`);
 * on an Ingress, a `tls` entry naming the Secret for the app's host. `material` is the Secret's
 * content; without it (a cert-manager Secret not issued yet) the Route keeps the router's own
 * certificate until a later render finds the Secret.
 */
export function withCertificate(objects: readonly KubeObject[], app: string, attachment: CertificateAttachment | undefined, material: RouteMaterial | undefined): KubeObject[] {
  if (!attachment) return [...objects];
  return objects.map((object) => {
    if (object.metadata.name !== app) return object;
    if (object.kind === 'Route') return routeWithCertificate(object, attachment, material);
    if (object.kind === 'Ingress') return ingressWithCertificate(object, attachment);
    return object;
  });
}

function routeWithCertificate(route: KubeObject, attachment: CertificateAttachment, material: RouteMaterial | undefined): KubeObject {
  const copy = structuredClone(route) as Json;
  const tls: Json = {termination: attachment.termination, insecureEdgeTerminationPolicy: 'Redirect'};
  if (material) {
    tls.certificate = material.certificate;
    tls.key = material.key;
    if (material.caCertificate) tls.caCertificate = material.caCertificate;
  }
  copy.spec.tls = tls;
  return copy as KubeObject;
}

function ingressWithCertificate(ingress: KubeObject, attachment: CertificateAttachment): KubeObject {
  const copy = structuredClone(ingress) as Json;
  const hosts = ((copy.spec.rules ?? []) as Json[]).map((rule) => rule.host).filter((host): host is string => typeof host === 'string');
  copy.spec.tls = [{...(hosts.length > 0 ? {hosts} : {}), secretName: attachment.secret}];
  return copy as KubeObject;
}

/** The host the app's rendered Route or Ingress serves, when it names one. */
export function renderedHost(objects: readonly KubeObject[], app: string): string | undefined {
  const exposed = objects.find((object) => object.metadata.name === app && (object.kind === 'Route' || object.kind === 'Ingress')) as Json | undefined;
  if (!exposed) return undefined;
  return exposed.kind === 'Route' ? exposed.spec?.host : exposed.spec?.rules?.[0]?.host;
}
