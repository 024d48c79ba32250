import type {KubeObject} from '../cluster/index.js';
import {ENV_LABEL, STACK_LABEL, TENANT_LABEL} from '../core/labels.js';
import type {AppRenderInput} from '../render/compose.js';
import type {AppCreateFlags} from './inputs.js';
import type {Session} from '../core/session.js';
import {canonicalInputs, type StoredInputs} from './stored-inputs.js';

/** An app's objects as the stack renders them from its inputs, ready for `applyApp`. */
export interface DesiredApp {
  input: AppRenderInput;
  objects: KubeObject[];
  warnings: string[];
  message?: string;
  /** The stack's parameters that generate a value when none is given: credentials, kept in Secrets. */
  generatedParameters: string[];
}

/**
 * The inputs to record on the app's parent: without values given for parameters the stack would
 * generate (credentials). Those live in the Secret the render writes, where later renders find
 * them (see keptGeneratedValues); the parent is a ConfigMap, readable by anyone with view, and
 * its inputs are printed in --json results.
 */
export function storableInputs(inputs: StoredInputs, desired: Pick<DesiredApp, 'generatedParameters'>): StoredInputs {
  if (!inputs.params || !Object.keys(inputs.params).some((name) => desired.generatedParameters.includes(name))) return inputs;
  const params = Object.fromEntries(Object.entries(inputs.params).filter(([name]) => !desired.generatedParameters.includes(name)));
  return canonicalInputs({...inputs, params});
}

/** Labels for the ApplySet parent, so `app list` can show them without reading members. */
export function parentLabels(input: Pick<AppRenderInput, 'stack' | 'tenant' | 'env'>): Record<string, string> {
  return {[STACK_LABEL]: input.stack, [ENV_LABEL]: input.env, ...(input.tenant ? {[TENANT_LABEL]: input.tenant} : {})};
}

/** The flags `appRenderInput` checks, from stored inputs (so stored and typed inputs pass the same rules). */
export function flagsFromInputs(app: string, stored: StoredInputs, session: Pick<Session, 'target' | 'config'>): AppCreateFlags {
  const pairs = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([key, value]) => `${key}=${value}`);
  const env = session.target.env;
  return {
    name: app,
    stack: stored.stack,
    namespace: session.target.namespace,
    ...(session.target.tenant ? {tenant: session.target.tenant} : {}),
    ...(env ? {env} : {}),
    ...(stored.image !== undefined ? {image: stored.image} : {}),
    ...(stored.port !== undefined ? {port: stored.port} : {}),
    ...(stored.replicas !== undefined ? {replicas: stored.replicas} : {}),
    ...(stored.envVars ? {envVar: pairs(stored.envVars)} : {}),
    ...(stored.params ? {param: pairs(stored.params)} : {}),
    ...(stored.storage !== undefined ? {storage: stored.storage} : {}),
    ...(stored.host !== undefined ? {host: stored.host} : {}),
  };
}

/**
 * The modules a render needs, loaded at once. A create starts this while it waits on the cluster,
 * so the render need not wait for them.
 */
export function loadRenderer() {
  return Promise.all([
    import('./inputs.js'),
    import('../render/compose.js'),
    import('./env.js'),
    import('./secret-values.js'),
    import('../render/catalogue.js'),
    import('../db/binding.js'),
    import('../cert/render.js'),
    import('./secret-references.js'),
  ]);
}

/**
 * Validates and renders an app from its inputs. The platform comes from --platform, else the
 * config, else the cluster's API (Routes served: OpenShift).
 */
export async function renderDesired(session: Session, app: string, stored: StoredInputs, options: {platform?: 'openshift' | 'kubernetes'} = {}): Promise<DesiredApp> {
  const [{appRenderInput}, {renderAppDetailed}, {withSecretEnvironment}, {keptGeneratedValues}, {findStack}, {withBindings, bindingsOf}, {attachCertificate}, {withSecretReferences}] = await loadRenderer();
  const flags = {...flagsFromInputs(app, stored, session), ...(options.platform ? {platform: options.platform} : {})};
  const detected = flags.platform || session.config.values.platform !== 'auto' ? undefined : (await session.cluster.discovery()).platform();
  // gshift scale's setting is no flag of app create: it goes to the render as it was stored.
  const input = {...appRenderInput(flags, session.config.values, detected), ...(stored.autoscale !== undefined ? {autoscale: stored.autoscale} : {})};
  let rendered = await renderAppDetailed(input);
  // Generated values (passwords) are generated once: the next render takes them from the Secrets
  // written the first time. They go to the render only, never into the stored inputs.
  const kept = await keptGeneratedValues(session.cluster, session.target.namespace, app, rendered.objects, rendered.parameters);
  if (Object.keys(kept).length > 0) rendered = await renderAppDetailed({...input, params: {...input.params, ...kept}});
  const withSecrets = stored.secretEnv ? withSecretEnvironment(rendered.objects, app, stored.secretEnv) : rendered.objects;
  // Attached databases (gshift db attach) are part of every render, so deploy, env and promote keep them.
  const bound = withSecretReferences(withBindings(withSecrets, app, bindingsOf(stored.databases)), app, stored.secretRefs);
  // So is an attached certificate (gshift cert add/issue), copied afresh from its Secret each time.
  const certified = await attachCertificate(session.cluster, session.target.namespace, app, bound, stored.certificate);
  const stack = await findStack(input.stack, input.templateDirs ?? []);
  const generatedParameters = stack.template.parameters.filter((parameter) => parameter.generate === 'expression').map((parameter) => parameter.name);
  return {input, objects: certified.objects, warnings: [...rendered.warnings, ...certified.warnings], generatedParameters, ...(rendered.message ? {message: rendered.message} : {})};
}
