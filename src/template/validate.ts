// `template validate`: the offline checks of a template, then a server-side dry run of every
// object in the namespace the session resolves (flags → config → namespace → kube context), as
// every other command resolves it. No cluster, or one that cannot be reached, skips the server
// check and says why; a rejection is the validation's failure.
import type {KubeObject} from '../cluster/index.js';
import type {EffectiveConfig} from '../config/load.js';
import type {TargetFlags} from '../core/session.js';
import {GshiftError, usageError} from '../errors.js';
import type {Finding} from '../render/validate.js';

export interface ValidateRequest {
  template: string;
  params: readonly string[];
  paramFiles: readonly string[];
  ignoreUnknown?: boolean;
  /** Skip the server-side dry run. */
  offline?: boolean;
  target: TargetFlags;
}

export type ServerCheck =
  | {checked: true; namespace: string; warnings: string[]}
  | {checked: false; reason: string};

export interface ValidateResult {
  name: string;
  source: string;
  objects: number;
  findings: Finding[];
  server: ServerCheck;
}

/** Offline findings that are errors fail the validation before any cluster is asked. */
export async function validateTemplate(request: ValidateRequest): Promise<ValidateResult> {
  const [{loadSessionConfig}, {processTemplateCommand}, {checkTemplateObjects}] = await Promise.all([
    import('../core/session.js'),
    import('../render/run-process.js'),
    import('../render/validate.js'),
  ]);
  const config = await loadSessionConfig();
  const processed = await processTemplateCommand({
    template: request.template,
    templateDirs: config.values.templateDirs,
    params: request.params,
    paramFiles: request.paramFiles,
    labels: [],
    ignoreUnknown: request.ignoreUnknown,
  });
  const findings = checkTemplateObjects(processed.template, processed.objects);
  const errors = findings.filter((finding) => finding.level === 'error');
  if (errors.length > 0) throw usageError(`${processed.source} is not valid: ${errors.map((finding) => finding.message).join(' ')}`, 'fix the objects in the template.', {findings});
  const server = request.offline ? {checked: false as const, reason: '--offline was given'} : await serverDryRun(processed.objects, request.target, config);
  return {name: processed.name, source: processed.source, objects: processed.objects.length, findings, server};
}

/** Codes that mean "there is no cluster to ask" rather than "the cluster said no". */
const NO_CLUSTER: readonly string[] = ['USAGE', 'UNREACHABLE', 'CONFIG'];

async function serverDryRun(objects: KubeObject[], target: TargetFlags, config: EffectiveConfig): Promise<ServerCheck> {
  const {openSession} = await import('../core/session.js');
  let session;
  try {
    session = await openSession(target, {config});
    await session.cluster.discovery();
  } catch (error) {
    await session?.cluster.close();
    if (error instanceof GshiftError && NO_CLUSTER.includes(error.code)) return {checked: false, reason: error.message.replace(/\.$/, '')};
    throw error;
  }
  try {
    const namespace = session.target.namespace;
    const outcomes = await session.cluster.apply(objects, {namespace, dryRun: true});
    return {checked: true, namespace, warnings: outcomes.flatMap((outcome) => outcome.warnings.map((warning) => `${outcome.ref.kind} ${outcome.ref.name}: ${warning}`))};
  } finally {
    await session.cluster.close();
  }
}
