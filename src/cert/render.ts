import type {Cluster, KubeObject} from '../cluster/index.js';
import {type CertificateAttachment, withCertificate} from './attachment.js';
import {readRouteMaterial} from './secret.js';

/**
 * The app's rendered objects with its attached certificate. A Route carries the certificate
 * inline, so it is read from the Secret on every render: a certificate rotated or renewed by
 * cert-manager reaches the Route with the app's next render (or `gshift cert issue` again).
 */
export async function attachCertificate(
  cluster: Pick<Cluster, 'get'>,
  namespace: string,
  app: string,
  objects: KubeObject[],
  attachment: CertificateAttachment | undefined,
): Promise<{objects: KubeObject[]; warnings: string[]}> {
  if (!attachment) return {objects, warnings: []};
  const material = await readRouteMaterial(cluster, namespace, attachment.secret);
  const warnings: string[] = [];
  // An Ingress names the Secret, and its controller serves the certificate once there is one.
  if (!material && objects.some((object) => object.metadata.name === app && object.kind === 'Route')) {
    warnings.push(`Secret ${attachment.secret} holds no certificate yet, so the Route of ${app} serves the router's default one until a later render finds it (gshift cert issue ${attachment.secret} again, or any gshift app command).`);
  }
  return {objects: withCertificate(objects, app, attachment, material), warnings};
}
