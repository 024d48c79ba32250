import {resolveParameters, type ResolvedParameter} from './parameters.js';
import {referencesParameter, substituteString, substituteValue} from './substitute.js';
import type {KubeObject, OpenShiftTemplate} from './template.js';

export interface ProcessOptions {
  /** Values from -p and --param-file. */
  values?: ReadonlyMap<string, string> | Record<string, string>;
  /** Accept values for parameters the template does not declare (oc's --ignore-unknown-parameters). */
  ignoreUnknown?: boolean;
  /** Extra labels for every object, like oc's -l; they are added to the template's own labels. */
  labels?: Record<string, string>;
}

export interface ProcessResult {
  objects: KubeObject[];
  message?: string;
  parameters: ResolvedParameter[];
}

/**
 * What `oc process --local` does: resolves the parameters, substitutes them in the message, the
 * template labels and every object, removes a hard-coded metadata.namespace (one written with a
 * parameter stays), and merges the template labels into every object's labels. The template is
 * not changed, so a cached template can be processed again and again.
 */
export function processTemplate(template: OpenShiftTemplate, options: ProcessOptions = {}): ProcessResult {
  const given = options.values instanceof Map ? options.values : new Map(Object.entries(options.values ?? {}));
  const parameters = resolveParameters(template.parameters, given, {ignoreUnknown: options.ignoreUnknown, templateName: template.metadata?.name});
  const values = new Map(parameters.map((parameter) => [parameter.name, parameter.value]));

  const message = template.message === undefined ? undefined : String(substituteString(template.message, values));
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries({...template.labels, ...options.labels})) {
    labels[String(substituteString(key, values))] = String(substituteString(value, values));
  }
  const objects = template.objects.map((object) => {
    const processed = substituteValue(withoutHardCodedNamespace(object), values) as KubeObject;
    mergeLabels(processed, labels);
    return processed;
  });
  return {objects, ...(message === undefined ? {} : {message}), parameters};
}

/** A shallow copy without metadata.namespace, unless the namespace is written with a parameter. */
function withoutHardCodedNamespace(object: KubeObject): KubeObject {
  const namespace = object.metadata?.namespace;
  if (namespace === undefined || (typeof namespace === 'string' && referencesParameter(namespace))) return object;
  const {namespace: _dropped, ...metadata} = object.metadata;
  return {...object, metadata};
}

/** Template labels win over an object's own labels with the same key, as in oc. */
function mergeLabels(object: KubeObject, labels: Record<string, string>): void {
  if (Object.keys(labels).length === 0) return;
  object.metadata ??= {};
  object.metadata.labels = {...object.metadata.labels, ...labels};
}

/** The List that `kubectl apply -f -` accepts, as `oc process` prints it. */
export function toList(objects: KubeObject[]): {apiVersion: 'v1'; kind: 'List'; metadata: Record<string, never>; items: KubeObject[]} {
  return {apiVersion: 'v1', kind: 'List', metadata: {}, items: objects};
}
