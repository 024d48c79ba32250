import {GshiftError} from '../errors.js';
import {parseParameterAssignments} from '../render/parameters.js';
import {applyApp, requireNamespace, type AppApplyResult, type ApplyTracker} from './apply.js';
import {loadRenderer, parentLabels, renderDesired, storableInputs} from './desired.js';
import {appRenderInput, parseEnvVars, type AppCreateFlags} from './inputs.js';
import {readRecord} from './inventory.js';
import type {EffectiveConfig} from '../config/load.js';
import {letConnectionProceed, type Session} from '../core/session.js';
import type {Target} from '../core/target.js';
import type {AutoscaleSettings} from '../render/parts.js';
import {canonicalInputs, readStoredInputs, type StoredInputs} from './stored-inputs.js';

export interface CreateRequest {
  /** Take over fields another manager (kubectl, an operator) set since: --force-conflicts. */
  forceConflicts?: boolean;
  flags: Omit<AppCreateFlags, 'namespace' | 'tenant' | 'env'>;
  /** Server-side dry run: validated, authorised and admitted, nothing persisted. */
  serverDryRun?: boolean;
  /** "gshift/v0.1.0", for the ApplySet tooling annotation. */
  tooling: string;
  /**
   * Inputs the caller states in full (gshift up: the file is the truth), replacing the stored
   * ones where a create would keep them: the variables, attached databases, Secret references.
   */
  replace?: Pick<StoredInputs, 'envVars' | 'databases' | 'secretRefs'>;
  /**
   * What gshift.yaml says where it has it, of settings other commands own too: the autoscaler
   * (gshift scale) and the attached certificate (gshift cert; its termination kept). Given, they
   * replace the stored ones; left out, those are kept, as a create without --replicas keeps the count.
   */
  declared?: {autoscale?: AutoscaleSettings; certificate?: string};
  /** With serverDryRun: the namespace does not exist yet (see ConvergeRequest.namespacePending). */
  namespacePending?: boolean;
  /** The namespace was made by the same run (gshift up) and holds nothing: nothing to read first, nothing to protect with a rehearsal. */
  emptyNamespace?: boolean;
}

export interface CreateResult extends AppApplyResult {
  app: string;
  namespace: string;
  stack: string;
  /** True when the app did not exist before. */
  created: boolean;
  /** The Deployments to follow. */
  deployments: string[];
  dryRun?: 'server';
  /** The stack's own message ("listens on port 8080 behind Service web"). */
  message?: string;
}

/**
 * `app create --dry-run` (client): the manifests, rendered without a cluster or kubeconfig, for
 * the platform the flag or config names (OpenShift when neither does).
 */
export async function renderManifests(flags: AppCreateFlags, options: {config: EffectiveConfig; reveal?: boolean}) {
  const [{resolveTarget}, {renderAppDetailed}, {printableManifests}] = await Promise.all([import('../core/target.js'), import('../render/compose.js'), import('../core/secret-masking.js')]);
  const {values} = options.config;
  // The same resolution as the real create, without the cluster: a namespace's environment comes from its name.
  const target = resolveTarget({flags, config: values});
  const input = appRenderInput({...flags, ...targetFlags(target)}, values);
  const rendered = await renderAppDetailed(input);
  // Generated credentials are secrets like any other: shown only when asked for.
  const {objects, masked} = printableManifests(rendered.objects, options.reveal ?? false);
  return {input, objects, masked, warnings: rendered.warnings};
}

/** The resolved target as the render's flags; the "default" namespace is left out, so a dry run stays portable. */
function targetFlags(target: Target): Pick<AppCreateFlags, 'namespace' | 'tenant' | 'env'> {
  return {...(target.source === 'default' ? {} : {namespace: target.namespace}), ...(target.tenant ? {tenant: target.tenant} : {}), ...(target.env ? {env: target.env} : {})};
}

/** The hint for a namespace that does not exist: make the tenant's environment. */
export function missingNamespaceHint(session: Pick<Session, 'target'>): string {
  const {tenant, env} = session.target;
  return tenant && env ? `create it with gshift tenant create ${tenant} --envs ${env}.` : 'create it with gshift tenant create TENANT --envs ENV, or pick an existing namespace with -n.';
}

/**
 * What a create with these flags means for an existing app: the flags replace its inputs, but
 * an image, environment or replica count left out keeps the current one — they have their own
 * commands (deploy, env, scale), and a re-run of the original create must not undo them.
 */
export function mergeInputs(flags: CreateRequest['flags'], previous: StoredInputs | undefined, replace?: CreateRequest['replace'], declared: CreateRequest['declared'] = {}): StoredInputs {
  const pairs = (assignments: readonly string[] | undefined, parse: (values: readonly string[]) => Record<string, string>) =>
    assignments && assignments.length > 0 ? parse(assignments) : undefined;
  const envVars = replace ? replace.envVars : (pairs(flags.envVar, parseEnvVars) ?? previous?.envVars);
  const params = pairs(flags.param, (values) => Object.fromEntries(parseParameterAssignments(values, '--param')));
  return canonicalInputs({
    stack: flags.stack,
    ...(flags.image ? {image: flags.image} : previous?.image ? {image: previous.image} : {}),
    ...(flags.port !== undefined ? {port: flags.port} : {}),
    // The count is gshift scale's too: a re-run of the create without --replicas keeps it.
    ...(flags.replicas !== undefined ? {replicas: flags.replicas} : previous?.replicas !== undefined ? {replicas: previous.replicas} : {}),
    // gshift scale's autoscaler (or its fixed count) is the app's, like an attached database.
    ...(declared.autoscale ? {autoscale: declared.autoscale} : previous?.autoscale !== undefined ? {autoscale: previous.autoscale} : {}),
    ...(envVars ? {envVars} : {}),
    ...(params ? {params} : {}),
    ...(flags.storage ? {storage: flags.storage} : {}),
    ...(flags.host ? {host: flags.host} : {}),
    ...(previous?.secretEnv ? {secretEnv: previous.secretEnv} : {}),
    ...(replace ? (replace.databases ? {databases: replace.databases} : {}) : previous?.databases ? {databases: previous.databases} : {}),
    ...(replace ? (replace.secretRefs ? {secretRefs: replace.secretRefs} : {}) : previous?.secretRefs ? {secretRefs: previous.secretRefs} : {}),
    ...(declared.certificate ? {certificate: {secret: declared.certificate, termination: previous?.certificate?.termination ?? 'edge'}} : previous?.certificate ? {certificate: previous.certificate} : {}),
  });
}

/**
 * The input checks of a create that need no cluster (a database stack, name, stack, env vars,
 * sizes, host), for openSession's validate. Then the render's modules start loading, while the
 * session reads the namespace.
 */
export async function checkCreateInput(flags: CreateRequest['flags'] & Pick<AppCreateFlags, 'namespace' | 'tenant' | 'env'>, config: EffectiveConfig): Promise<void> {
  // Databases have one code path: a db stack is refused with the `gshift db create` command that does it.
  const {refuseDatabaseStack} = await import('./database-stack.js');
  await refuseDatabaseStack(flags, config.values.templateDirs);
  await letConnectionProceed(); // the checks and the render's modules are the longest work before a create's first write
  appRenderInput(flags, config.values, 'openshift');
  loadRenderer().catch(() => {}); // the render reports a module that fails to load
}

/**
 * `app create`: every input is checked before the first request, the namespace before the
 * first write; a change to an existing app is rehearsed on the server (dry run) before it is
 * applied, and a new app that the server refuses is deleted again (see applyApp).
 */
export async function createApp(session: Session, request: CreateRequest, tracker?: ApplyTracker): Promise<CreateResult> {
  const {cluster, target, config} = session;
  const namespace = target.namespace;
  // Bad input fails here, before any request (gshift up checks nothing earlier; app create did in its session's validate).
  await checkCreateInput({...request.flags, ...targetFlags(target)}, config);
  if (!(request.serverDryRun && request.namespacePending)) await requireNamespace(cluster, namespace, missingNamespaceHint(session), session.namespaceState);

  const record = request.emptyNamespace ? undefined : await readRecord(cluster, namespace, request.flags.name);
  const previous = readStoredInputs(record);
  if (previous && previous.stack !== request.flags.stack) {
    throw new GshiftError('CONFLICT', `App ${request.flags.name} in ${namespace} runs stack ${previous.stack}, not ${request.flags.stack}.`, {
      hint: `keep --stack ${previous.stack}, or remove the app first with gshift app delete ${request.flags.name} -n ${namespace}.`,
      details: {app: request.flags.name, namespace, stack: previous.stack},
    });
  }
  const inputs = mergeInputs(request.flags, previous, request.replace, request.declared);
  const desired = await renderDesired(session, request.flags.name, inputs, {platform: request.flags.platform});
  const result = await applyApp(
    cluster,
    {app: request.flags.name, namespace, objects: desired.objects, inputs: storableInputs(inputs, desired), labels: parentLabels(desired.input), recorded: record ?? null, tooling: request.tooling, dryRun: request.serverDryRun, namespacePending: request.namespacePending, emptyNamespace: request.emptyNamespace, force: request.forceConflicts},
    tracker,
  );
  return {
    ...result,
    warnings: [...desired.warnings, ...result.warnings],
    app: request.flags.name,
    namespace,
    stack: inputs.stack,
    created: record === undefined,
    deployments: desired.objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name!),
    ...(request.serverDryRun ? {dryRun: 'server' as const} : {}),
    ...(desired.message ? {message: desired.message} : {}),
  };
}
