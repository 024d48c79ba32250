import * as Flags from '@oclif/core/flags';

import {clusterFlags} from './flags.js';
import {QUOTA_HELP} from './tenant/quota.js';

/** Flags the tenant commands share. Tenants are cluster-wide, so --namespace/--tenant/--env do not apply. */
export const tenantClusterFlags = {kubeconfig: clusterFlags.kubeconfig, context: clusterFlags.context};

const group = (who: string, env: string) =>
  Flags.string({
    description: `RBAC group(s) ${who}; repeat or separate with commas.`,
    multiple: true,
    env,
    helpGroup: 'ACCESS',
  });

export const memberFlags = {
  admins: group('with admin in every environment', 'GSHIFT_TENANT_ADMINS'),
  developers: group('with edit in environments without high availability (dev, test) and view in the others (acc, prod)', 'GSHIFT_TENANT_DEVELOPERS'),
  viewers: group('with view in every environment', 'GSHIFT_TENANT_VIEWERS'),
};

export const quotaFlag = Flags.string({description: `The quota per environment: ${QUOTA_HELP}`, env: 'GSHIFT_TENANT_QUOTA', helpGroup: 'QUOTA'});

export const podSecurityVersionFlag = Flags.string({
  description: 'Pin Pod Security Standards to this version (e.g. v1.36); default: keep the pinned one, or the cluster version for new namespaces.',
  env: 'GSHIFT_POD_SECURITY_VERSION',
});
