import {GshiftError} from '../errors.js';
import type {StepKind} from './plan.js';
import type {PruneCandidate, PruneReport} from './prune.js';
import type {UpResult} from './up.js';

/**
 * What `gshift up` reports (its --json result, and what the summary table shows): per
 * environment, which of its namespace, databases and apps were created, updated, left
 * unchanged, pruned, failed or not run; the apps' URLs; how to get the CI account's kubeconfig.
 */
export interface StepSummary {
  id: string;
  kind: StepKind;
  name: string;
  status: 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped';
  url?: string;
  /** Kind/name of the objects, by what happened to them. */
  objects?: {created: string[]; configured: string[]; unchanged: string[]; pruned: string[]; kept: string[]};
  rollout?: {elapsedMs: number; ready: number; desired: number};
  error?: {code: string; message: string; hint?: string};
  blockedBy?: string;
  warnings?: string[];
}

export interface EnvironmentSummary {
  env: string;
  namespace: string;
  ha: boolean;
  created: number;
  updated: number;
  unchanged: number;
  pruned: number;
  failed: number;
  skipped: number;
  steps: StepSummary[];
  pruneReports: PruneReport[];
}

export interface UpSummary {
  tenant: string;
  file: string;
  dryRun?: 'server';
  changed: boolean;
  environments: EnvironmentSummary[];
  urls: {env: string; app: string; url: string}[];
  /** The commands that print a kubeconfig for the tenant's CI account, one per environment. */
  ciKubeconfig?: string[];
  /** Apps and databases the file does not declare, left alone (no --prune). */
  prunable: PruneCandidate[];
}

export function summarize(result: UpResult): UpSummary {
  const environments = result.plan.environments.map((environment): EnvironmentSummary => {
    const steps = result.outcomes
      .filter((outcome) => outcome.step.env === environment.name)
      .map((outcome): StepSummary => {
        const {step} = outcome;
        const base = {id: step.id, kind: step.kind, name: step.name};
        if (outcome.status === 'skipped') return {...base, status: 'skipped', ...(outcome.blockedBy ? {blockedBy: outcome.blockedBy} : {})};
        if (outcome.status === 'failed') {
          const error = outcome.error instanceof GshiftError ? outcome.error : new GshiftError('INTERNAL', String(outcome.error));
          return {...base, status: 'failed', error: {code: error.code, message: error.sentence, ...(error.hint ? {hint: error.hint} : {})}};
        }
        const report = outcome.result!;
        return {
          ...base,
          status: report.action,
          ...(report.url ? {url: report.url} : {}),
          objects: {...report.objects, pruned: report.pruned, kept: report.kept},
          ...(report.rollout ? {rollout: report.rollout} : {}),
          ...(report.warnings.length > 0 ? {warnings: report.warnings} : {}),
        };
      });
    const count = (status: StepSummary['status']) => steps.filter((step) => step.status === status).length;
    const pruneReports = result.pruned.filter((report) => report.env === environment.name);
    return {
      env: environment.name,
      namespace: environment.namespace,
      ha: environment.ha,
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      pruned: pruneReports.length,
      failed: count('failed'),
      skipped: count('skipped'),
      steps,
      pruneReports,
    };
  });
  const urls = environments.flatMap((environment) => environment.steps.filter((step) => step.kind === 'app' && step.url).map((step) => ({env: environment.env, app: step.name, url: step.url!})));
  const changed = environments.some((environment) => environment.created + environment.updated + environment.pruned > 0);
  return {
    tenant: result.tenant,
    file: result.file,
    ...(result.dryRun ? {dryRun: result.dryRun} : {}),
    changed,
    environments,
    urls,
    ...(result.ciAccount ? {ciKubeconfig: environments.map((environment) => `gshift tenant ci-kubeconfig ${result.tenant} --env ${environment.env} > kubeconfig-${environment.env}`)} : {}),
    prunable: result.prunable,
  };
}
