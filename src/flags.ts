import {Flags} from '@oclif/core';

import {usageError} from './errors.js';

/**
 * Flags shared by many commands. Each has a GSHIFT_<FLAG> environment twin, so CI pipelines can
 * set them once for a whole job.
 */
export const clusterFlags = {
  kubeconfig: Flags.string({
    description: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).',
    env: 'GSHIFT_KUBECONFIG',
    helpGroup: 'CLUSTER',
  }),
  context: Flags.string({description: 'The kubeconfig context to use.', env: 'GSHIFT_CONTEXT', helpGroup: 'CLUSTER'}),
  namespace: Flags.string({
    char: 'n',
    description: 'The namespace to work in (default: <tenant>-<env>, else the context namespace).',
    env: 'GSHIFT_NAMESPACE',
    helpGroup: 'CLUSTER',
  }),
  tenant: Flags.string({description: 'The tenant (team or institution) to work for.', env: 'GSHIFT_TENANT', helpGroup: 'CLUSTER'}),
  env: Flags.string({description: 'The environment: dev, test, acc, prod, ….', env: 'GSHIFT_ENV', helpGroup: 'CLUSTER'}),
};

export const outputFlag = Flags.option({
  char: 'o',
  description: 'Output format.',
  env: 'GSHIFT_OUTPUT',
  options: ['table', 'yaml', 'json', 'name'] as const,
})();

/** -o for commands that print manifests. */
export const manifestOutputFlag = Flags.option({
  char: 'o',
  description: 'Manifest format.',
  env: 'GSHIFT_OUTPUT',
  options: ['yaml', 'json'] as const,
  default: 'yaml' as const,
})();

export const yesFlag = Flags.boolean({
  char: 'y',
  description: 'Answer yes to confirmations (required for destructive commands without a terminal).',
  env: 'GSHIFT_YES',
});

/** kubectl's --force-conflicts: server-side apply takes over fields another manager changed. */
export const forceConflictsFlag = Flags.boolean({
  description: 'Take over fields that someone else (kubectl, an operator) changed since gshift last applied them.',
  default: false,
});

export const platformFlag = Flags.option({
  description: 'Render for this platform instead of asking the cluster (Route on openshift, Ingress on kubernetes).',
  env: 'GSHIFT_PLATFORM',
  options: ['openshift', 'kubernetes'] as const,
})();

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses kubectl-style durations: 90s, 5m, 1h30m, 250ms, or a bare number of seconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const match = DURATION.exec(trimmed);
  if (!trimmed || !match || match.slice(1).every((part) => part === undefined)) {
    throw usageError(`"${text}" is not a duration.`, 'write durations like 30s, 5m or 1h30m.');
  }
  const [hours, minutes, seconds, millis] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

export const timeoutFlag = Flags.custom<number>({
  description: 'How long to wait for the rollout before giving up (e.g. 90s, 5m).',
  env: 'GSHIFT_TIMEOUT',
  default: 5 * 60 * 1000,
  defaultHelp: async () => '5m',
  parse: async (input) => parseDuration(input),
})();
