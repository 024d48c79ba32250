import type {SchemaProblem} from './schema-check.js';
import type {TenantFile} from './tenant-file.js';

/**
 * What the file can declare and this gshift cannot do yet: each is one kind of plan step
 * (plan.ts) whose service lives on another branch (db: high availability and backup schedules;
 * scale: autoscaling bounds; cert: certificates). Until a step kind has a runner in steps.ts,
 * a file that asks for it is refused before anything is done, naming the entry.
 *
 * To wire one in: give the kind a runner in steps.ts (STEP_RUNNERS) and delete it here.
 */
export const NOT_YET_SUPPORTED = {
  autoscaling: 'autoscaling bounds (gshift scale) are',
  'database-ha': 'database high availability (gshift db create --ha) is',
  backup: 'backup schedules (gshift db backup schedule) are',
  certificate: 'certificates (gshift cert) are',
} as const;

export type PendingStepKind = keyof typeof NOT_YET_SUPPORTED;

const problem = (kind: PendingStepKind, path: SchemaProblem['path'], extra = ''): SchemaProblem => ({
  path,
  message: `${NOT_YET_SUPPORTED[kind]} not supported yet by this gshift${extra}; remove it for now`,
  atKey: typeof path.at(-1) === 'string',
});

/** One problem per entry that asks for what this gshift cannot do yet. */
export function notYetSupported(file: TenantFile, pending: ReadonlySet<string> = new Set(Object.keys(NOT_YET_SUPPORTED))): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const {spec} = file;
  const ask = (kind: PendingStepKind, path: SchemaProblem['path'], extra?: string) => {
    if (pending.has(kind)) problems.push(problem(kind, path, extra));
  };
  const autoscalingNote = ' (high-availability environments get an autoscaler from the replicas)';
  (spec.apps ?? []).forEach((app, index) => {
    if (app?.autoscaling !== undefined) ask('autoscaling', ['spec', 'apps', index, 'autoscaling'], autoscalingNote);
  });
  (spec.databases ?? []).forEach((database, index) => {
    if (database?.ha) ask('database-ha', ['spec', 'databases', index, 'ha']);
    if (database?.backup !== undefined) ask('backup', ['spec', 'databases', index, 'backup']);
  });
  (spec.environments ?? []).forEach((environment, index) => {
    for (const [name, override] of Object.entries(environment?.apps ?? {})) {
      if (override?.autoscaling !== undefined) ask('autoscaling', ['spec', 'environments', index, 'apps', name, 'autoscaling'], autoscalingNote);
    }
    for (const [name, override] of Object.entries(environment?.databases ?? {})) {
      if (override?.ha) ask('database-ha', ['spec', 'environments', index, 'databases', name, 'ha']);
      if (override?.backup !== undefined) ask('backup', ['spec', 'environments', index, 'databases', name, 'backup']);
    }
  });
  (spec.certificates ?? []).forEach((_certificate, index) => ask('certificate', ['spec', 'certificates', index]));
  return problems;
}
