import {brokenSubdomainRule} from '../core/names.js';
import {isGshiftError} from '../errors.js';
import {compileExpression} from './generate.js';
import type {OpenShiftTemplate, KubeObject} from './template.js';

/** Offline checks of `template validate`, beyond what parsing and processing already refuse. */

export interface Finding {
  level: 'error' | 'warning';
  message: string;
}

const REFERENCE = /\$\{\{?([a-zA-Z0-9_]+)\}?\}/g;

export function checkTemplateObjects(template: OpenShiftTemplate, objects: KubeObject[]): Finding[] {
  const findings: Finding[] = [];
  // Processing skips the generator of a parameter that has a value; a later run without the value would not.
  for (const parameter of template.parameters) {
    if (parameter.generate !== 'expression' || !parameter.from) continue;
    try {
      compileExpression(parameter.from, `parameter ${parameter.name}`);
    } catch (error) {
      if (!isGshiftError(error)) throw error;
      findings.push({level: 'error', message: error.message});
    }
  }
  const declared = new Set(template.parameters.map((parameter) => parameter.name));
  const undeclared = new Set<string>();
  collectReferences(template.objects, (name) => {
    if (!declared.has(name)) undeclared.add(name);
  });
  for (const name of undeclared) {
    findings.push({level: 'warning', message: `The objects refer to \${${name}}, which is not a parameter: it stays in the output as written.`});
  }
  const seen = new Set<string>();
  for (const [index, object] of objects.entries()) {
    const name = object.metadata?.name;
    const label = `objects[${index}] (${object.kind}${name ? ` ${name}` : ''})`;
    if (!name && !object.metadata?.generateName) {
      findings.push({level: 'error', message: `${label} has no metadata.name.`});
      continue;
    }
    const rule = name ? brokenSubdomainRule(name) : undefined;
    if (rule) findings.push({level: 'error', message: `${label}: the name "${name}" is not a valid Kubernetes name: ${rule}.`});
    const key = `${object.apiVersion}/${object.kind}/${name}`;
    if (name && seen.has(key)) findings.push({level: 'error', message: `${label} appears twice: ${object.kind} names must be unique.`});
    seen.add(key);
  }
  return findings;
}

function collectReferences(value: unknown, found: (name: string) => void): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE)) found(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      collectReferences(key, found);
      collectReferences(item, found);
    }
  }
}
