import * as Flags from '@oclif/core/flags';

import {GshiftError, isGshiftError, usageError} from './errors.js';
import {valuesOf} from './parse-errors.js';

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

/**
 * -o on every list and status command, as kubectl users expect: a table (the default), a wide
 * table with more columns, or the result as JSON or YAML (the same result --json wraps).
 */
const VIEW_OUTPUTS = ['table', 'wide', 'json', 'yaml'] as const;
export type ViewOutput = (typeof VIEW_OUTPUTS)[number];

export const viewOutputFlag = Flags.option({
  char: 'o',
  description: 'Output format: table, wide (more columns), json or yaml.',
  options: VIEW_OUTPUTS,
})();

/** -o for commands that print manifests. */
export const manifestOutputFlag = Flags.option({
  char: 'o',
  description: 'Manifest format.',
  env: 'GSHIFT_OUTPUT',
  options: ['yaml', 'json'] as const,
  default: 'yaml' as const,
})();

/** --dry-run[=client|server] of a create that renders manifests; parse with `bareDryRunAsClient`. */
export const dryRunFlag = Flags.option({description: 'Print the manifests (client: no cluster) or have the server validate them (server).', options: ['none', 'client', 'server'] as const})();

/**
 * kubectl's spelling of a boolean flag, `--wait=false` or `--wait=true`, as oclif's: `--no-wait`
 * (or nothing, for a flag without a negation, whose default is false) and `--wait`. oclif takes
 * no value after a boolean flag and would call `--wait=false` an unexpected argument.
 */
export function booleanAssignments(argv: readonly string[], flags: Readonly<Record<string, {type?: string; allowNo?: boolean}>>): string[] {
  const end = argv.indexOf('--');
  return argv.flatMap((arg, index) => {
    const match = end >= 0 && index > end ? null : /^--([a-z0-9][a-z0-9-]*)=(.*)$/i.exec(arg);
    const flag = match ? flags[match[1]!] : undefined;
    if (!match || flag?.type !== 'boolean') return [arg];
    const [, name, value] = match as unknown as [string, string, string];
    if (!/^(true|false)$/i.test(value)) throw usageError(`--${name} is a switch and takes no value but true or false, not "${value}".`, `give --${name} alone${flag.allowNo ? `, or --no-${name}` : ''}.`);
    if (value.toLowerCase() === 'true') return [`--${name}`];
    return flag.allowNo ? [`--no-${name}`] : [];
  });
}

/** A bare --dry-run means client, as kubectl's did. */
export const bareDryRunAsClient = (argv: readonly string[]) => argv.map((arg) => (arg === '--dry-run' ? '--dry-run=client' : arg));

/** -o/--output formats the manifests a client --dry-run prints: a create given it without one is told so. */
export function refuseOutputWithoutDryRun(dryRun: string | undefined, argv: readonly string[]): void {
  if (dryRun === 'client' || valuesOf({name: 'output', char: 'o'}, argv).length === 0) return;
  throw usageError('-o/--output formats the manifests that --dry-run prints; a create prints what it applied.', 'add --dry-run to print the manifests, or pass --json for the result of the create.');
}

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

/**
 * A duration flag (milliseconds). Its parser names the flag in its own error, so the user reads
 * "--timeout: "soon" is not a duration." whatever oclif does with the message on the way out.
 */
export function durationFlag(options: {description: string; defaultText: string; env?: string}) {
  return Flags.custom<number>({
    description: options.description,
    env: options.env,
    default: parseDuration(options.defaultText),
    defaultHelp: async () => options.defaultText,
    parse: parseDurationOf,
  })();
}

/** A duration flag without a default (--since). */
export function optionalDurationFlag(options: {description: string; exclusive?: string[]}) {
  return Flags.custom<number>({description: options.description, exclusive: options.exclusive, parse: parseDurationOf})();
}

async function parseDurationOf(input: string, _context: unknown, flag: {name: string}): Promise<number> {
  try {
    return parseDuration(input);
  } catch (error) {
    throw isGshiftError(error) ? new GshiftError(error.code, `--${flag.name}: ${error.message}`, {hint: error.hint}) : error;
  }
}

export const timeoutFlag = durationFlag({description: 'How long to wait for the rollout before giving up (e.g. 90s, 5m).', env: 'GSHIFT_TIMEOUT', defaultText: '5m'});

/** A whole-number flag whose parser names the flag and the rule it broke. */
export function integerFlag(options: {description: string; min?: number; max?: number; example?: number}) {
  return Flags.custom<number>({
    description: options.description,
    parse: async (input, _context, flag) => {
      const example = `e.g. --${flag.name} ${options.example ?? Math.max(options.min ?? 1, 1)}`;
      if (!/^-?\d+$/.test(input.trim())) throw usageError(`--${flag.name}: "${input}" is not a whole number.`, `pass a whole number, ${example}.`);
      const value = Number(input);
      if (options.min !== undefined && value < options.min) throw usageError(`--${flag.name}: ${value} is less than ${options.min}.`, `pass ${options.min} or more, ${example}.`);
      if (options.max !== undefined && value > options.max) throw usageError(`--${flag.name}: ${value} is more than ${options.max}.`, `pass ${options.max} or less, ${example}.`);
      return value;
    },
  })();
}
