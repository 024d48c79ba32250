import {APP_LABEL} from '../core/labels.js';
import type {ObjectRef} from '../cluster/index.js';
import {type SetSpec, parentRef as setParentRef, setId} from '../converge/applyset.js';

/** An app is one ApplySet (see converge/): its parent ConfigMap `gshift-app-<app>` records the inputs too. */
export const INPUTS_KEY = 'inputs.json';

export function parentName(app: string): string {
  return `gshift-app-${app}`;
}

export function parentRef(app: string, namespace: string): ObjectRef {
  return setParentRef(parentName(app), namespace);
}

export function appApplysetId(app: string, namespace: string): string {
  return setId(parentName(app), namespace);
}

/** The app's set: every member labelled with the app, the parent with the inputs it was rendered from. */
export function appSet(spec: {app: string; namespace: string; tooling: string; labels?: Record<string, string>; inputs: string}): SetSpec {
  return {name: parentName(spec.app), namespace: spec.namespace, tooling: spec.tooling, memberLabels: {[APP_LABEL]: spec.app}, data: {[INPUTS_KEY]: spec.inputs}, ...(spec.labels ? {labels: spec.labels} : {})};
}
