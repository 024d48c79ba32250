import {APP_LABEL, COMPONENT_LABEL, ENV_LABEL, INSTANCE_LABEL, MANAGED_BY_LABEL, MANAGER, NAME_LABEL, PART_OF_LABEL, STACK_LABEL, TENANT_LABEL} from '../core/labels.js';
import {usageError} from '../errors.js';
import {findStack, type Stack} from './catalogue.js';
import {standardMode} from './descriptor.js';
import type {ResolvedParameter} from './parameters.js';
import {type AutoscaleSettings, autoscaler, defaultAutoscale, disruptionBudget, environmentConfigMap, inApplyOrder, ingress, mountVolumeClaim, route, useConfigMap, volumeClaim} from './parts.js';
import {processTemplate} from './process.js';
import {applyLabels, applyStandards, WORKLOAD_KINDS} from './standards.js';
import type {KubeObject} from './template.js';

/** Everything that decides an app's manifests; validated by src/app/inputs.ts before it gets here. */
export interface AppRenderInput {
  name: string;
  stack: string;
  tenant?: string;
  env: string;
  namespace?: string;
  platform: 'openshift' | 'kubernetes';
  /** An explicit image, used as given (no registry prefix). */
  image?: string;
  port?: number;
  replicas?: number;
  /**
   * `gshift scale`'s choice: an autoscaler with these settings (in any environment), or false
   * for none (a fixed count, also in high-availability environments). Undefined: the platform's
   * default, an autoscaler in high-availability environments only.
   */
  autoscale?: AutoscaleSettings | false;
  envVars?: Record<string, string>;
  /** Values for the stack template's own parameters (--param K=V). */
  params?: Record<string, string>;
  /** Size of the app's volume claim (app stacks) or of the database volume (db stacks). */
  storage?: string;
  host?: string;
  /** Registry prefix from config: replaces the registry host of the stack's default image. */
  registry?: string;
  haEnvironments: readonly string[];
  /** Directories with the team's own stacks, searched before the built-in catalogue. */
  templateDirs?: readonly string[];
}

export interface RenderedApp {
  /** In apply order: ConfigMap, Secret, PVC, Service, workloads, then Route/Ingress, HPA, PDB. */
  objects: KubeObject[];
  message?: string;
  parameters: ResolvedParameter[];
  /** Standards a team relaxed, and other things worth telling the user. */
  warnings: string[];
}

/** The single entry point: finds the stack (parsed once per process) and composes the app. */
export async function renderApp(input: AppRenderInput): Promise<KubeObject[]> {
  return (await renderAppDetailed(input)).objects;
}

export async function renderAppDetailed(input: AppRenderInput): Promise<RenderedApp> {
  return composeApp(await findStack(input.stack, input.templateDirs ?? []), input);
}

// Parameters that gshift fills from its own flags; a --param for them would be a second way to say the same.
const CONTROLLED: Record<string, string> = {NAME: 'the app name argument', IMAGE: '--image', PORT: '--port', REPLICAS: '--replicas'};

/** Pure: the stack's template processed with the app's values, plus parts, standards and labels. */
export function composeApp(stack: Stack, input: AppRenderInput): RenderedApp {
  const {descriptor} = stack;
  const mode = (standard: Parameters<typeof standardMode>[1]) => standardMode(descriptor, standard);
  const warnings: string[] = [];
  const highAvailability = input.haEnvironments.includes(input.env) && mode('highAvailability') !== 'exempt';
  const replicas = decideReplicas(stack, input, highAvailability, warnings);
  const autoscale = decideAutoscale(stack, input, highAvailability, replicas);

  const declared = new Set(stack.template.parameters.map((parameter) => parameter.name));
  const values = new Map<string, string>();
  const offer = (name: string, value: string | number | undefined) => {
    if (value !== undefined && declared.has(name)) values.set(name, String(value));
  };
  offer('NAME', input.name);
  offer('IMAGE', input.image ?? withRegistry(descriptor.image, input.registry));
  offer('PORT', input.port ?? descriptor.port);
  offer('REPLICAS', replicas);
  offer('HEALTH_READY_PATH', descriptor.health.ready);
  offer('HEALTH_LIVE_PATH', descriptor.health.live);
  offer('HEALTH_PORT', descriptor.health.port);
  if (input.storage && descriptor.storage?.parameter) offer(descriptor.storage.parameter, input.storage);
  for (const [name, value] of Object.entries(input.params ?? {})) {
    if (CONTROLLED[name]) throw usageError(`--param ${name} is set by gshift from ${CONTROLLED[name]}.`, `pass ${CONTROLLED[name]} instead of --param ${name}.`);
    if (!declared.has(name)) {
      throw usageError(`Stack ${stack.name} has no parameter ${name}.`, `use one of its parameters (${[...declared].filter((key) => !CONTROLLED[key]).join(', ')}); see \`gshift template show ${stack.name}\`.`);
    }
    values.set(name, value);
  }

  const processed = processTemplate(stack.template, {values});
  const objects = processed.objects;
  const workload = objects.find((object) => WORKLOAD_KINDS.has(object.kind) && object.kind !== 'Job');
  if (!workload) throw usageError(`Stack ${stack.name} has no Deployment, so gshift cannot run it as an app.`, 'add a Deployment to the template.');
  if (input.image && !declared.has('IMAGE')) ((workload.spec as any).template.spec.containers[0] as {image: string}).image = input.image;
  const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === input.name) ?? objects.find((object) => object.kind === 'Service');

  const supports = (part: (typeof descriptor.parts)[number]) => descriptor.parts.includes(part);
  if (input.envVars && Object.keys(input.envVars).length > 0) {
    if (!supports('config')) throw usageError(`Stack ${stack.name} does not take environment variables.`, 'leave out --env-var for this stack.');
    const configMap = environmentConfigMap(`${input.name}-env`, input.envVars);
    useConfigMap(workload, configMap);
    objects.push(configMap);
  }
  if (input.storage && !descriptor.storage?.parameter) {
    if (!supports('storage') || !descriptor.storage?.mountPath) throw usageError(`Stack ${stack.name} has no place to mount storage.`, 'leave out --storage, or add storage.mountPath to the stack descriptor.');
    objects.push(volumeClaim(`${input.name}-data`, input.storage, autoscale ? autoscale.max : (replicas ?? 1)));
    mountVolumeClaim(workload, `${input.name}-data`, descriptor.storage.mountPath);
  }
  if (input.host && !(supports('expose') && service)) throw usageError(`Stack ${stack.name} is not exposed outside the cluster, so it takes no host.`, 'leave out --host for this stack.');
  if (supports('expose') && service) objects.push(input.platform === 'openshift' ? route(input.name, service, input.host) : ingress(input.name, service, input.host));

  for (const object of objects) {
    if (WORKLOAD_KINDS.has(object.kind)) {
      applyStandards(object, {descriptor, mode, platform: input.platform, replicas: object === workload ? replicas : undefined, spread: highAvailability});
    }
  }
  if (autoscale) {
    objects.push(autoscaler(workload, autoscale));
    // The autoscaler owns the replica count from here on. Were gshift to apply spec.replicas
    // too, every re-run would fight the autoscaler under server-side apply (a conflict, or a
    // scale-down to the rendered count). The app service seeds the count once at creation.
    delete (workload.spec as {replicas?: number}).replicas;
  }
  if (highAvailability && (replicas ?? 0) >= 2 && supports('disruptionBudget')) objects.push(disruptionBudget(workload));

  const labels = appLabels(stack, input);
  for (const object of objects) {
    applyLabels(object, labels);
    if (input.namespace) object.metadata.namespace = input.namespace;
  }
  return {objects: inApplyOrder(objects), ...(processed.message ? {message: processed.message} : {}), parameters: processed.parameters, warnings};
}

/** High-availability environments get at least 2 replicas, unless the stack is exempt or lets teams relax it. */
function decideReplicas(stack: Stack, input: AppRenderInput, highAvailability: boolean, warnings: string[]): number | undefined {
  const mode = standardMode(stack.descriptor, 'highAvailability');
  if (mode === 'exempt') {
    if (input.replicas !== undefined && input.replicas !== 1) {
      throw usageError(`Stack ${stack.name} runs exactly one replica: ${stack.descriptor.standards.exempt.highAvailability}`, 'leave out --replicas for this stack.');
    }
    return undefined;
  }
  if (!highAvailability) return input.replicas ?? 1;
  if (input.replicas !== undefined && input.replicas < 2) {
    if (mode === 'enforced') {
      throw usageError(`${input.env} is a high-availability environment, so ${stack.name} apps run at least 2 replicas.`, 'leave out --replicas, or pass --replicas 2 or more.');
    }
    warnings.push(`${input.name} runs ${input.replicas} replica in ${input.env}, a high-availability environment: stack ${stack.name} lets teams relax that standard.`);
    return input.replicas;
  }
  return Math.max(2, input.replicas ?? 2);
}

/** The autoscaler the app gets, if any: `gshift scale`'s settings, else the platform's in high-availability environments. */
function decideAutoscale(stack: Stack, input: AppRenderInput, highAvailability: boolean, replicas: number | undefined): AutoscaleSettings | undefined {
  const supported = stack.descriptor.parts.includes('autoscaler');
  if (input.autoscale === false) return undefined;
  if (input.autoscale === undefined) return highAvailability && (replicas ?? 0) >= 2 && supported ? defaultAutoscale(replicas!) : undefined;
  const mode = standardMode(stack.descriptor, 'highAvailability');
  if (mode === 'exempt') throw usageError(`Stack ${stack.name} runs exactly one replica: ${stack.descriptor.standards.exempt.highAvailability}`, 'leave its replicas alone; a database gets high availability from gshift db create --ha.');
  if (!supported) throw usageError(`Stack ${stack.name} cannot be autoscaled.`, `pin its replicas instead: gshift scale ${input.name} --manual --replicas N.`);
  if (highAvailability && mode === 'enforced' && input.autoscale.min < 2) {
    throw usageError(`${input.env} is a high-availability environment, so ${stack.name} apps run at least 2 replicas: --min ${input.autoscale.min} is too low.`, 'pass --min 2 or more.');
  }
  return input.autoscale;
}

/** The labels on every object: Kubernetes' recommended ones and gshift's own query keys. */
export function appLabels(stack: Pick<Stack, 'name' | 'descriptor'>, input: Pick<AppRenderInput, 'name' | 'tenant' | 'env'>): Record<string, string> {
  return {
    [NAME_LABEL]: stack.name,
    [INSTANCE_LABEL]: input.name,
    [COMPONENT_LABEL]: stack.descriptor.kind === 'db' ? 'database' : 'application',
    [MANAGED_BY_LABEL]: MANAGER,
    ...(input.tenant ? {[PART_OF_LABEL]: input.tenant, [TENANT_LABEL]: input.tenant} : {}),
    [ENV_LABEL]: input.env,
    [STACK_LABEL]: stack.name,
    [APP_LABEL]: input.name,
  };
}

/**
 * Puts an image behind the platform's registry: `registry.access.redhat.com/ubi9/nodejs-22` with
 * prefix `registry.example.gov/certified` becomes `registry.example.gov/certified/ubi9/nodejs-22`.
 * An image without a registry host (Docker Hub style) keeps its whole path after the prefix.
 */
export function withRegistry(image: string | undefined, registry: string | undefined): string | undefined {
  if (!image || !registry) return image;
  const [first, ...rest] = image.split('/');
  const hasHost = rest.length > 0 && (first!.includes('.') || first!.includes(':') || first === 'localhost');
  return `${registry.replace(/\/+$/, '')}/${hasHost ? rest.join('/') : image}`;
}
