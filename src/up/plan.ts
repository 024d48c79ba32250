import {type EnvironmentInFile, resolveEnvironments} from './environments.js';
import type {TenantFile} from './tenant-file.js';

/**
 * What `gshift up` does, as steps with their dependencies, per environment. Pure: the file in,
 * the steps out. An environment's namespace (the tenant's part of it) comes first; a database
 * (with its high availability and backup schedule: one set of objects, one `db create`) and a
 * certificate (its Secret or cert-manager Certificate) before the apps that use them; an app
 * carries its autoscaler. Environments do not depend on each other, nor do the apps of one
 * environment: they run at the same time.
 */
export type StepKind = 'environment' | 'database' | 'certificate' | 'app';

export interface Step {
  /** `<env>/<kind>/<name>`, e.g. prod/app/web. */
  id: string;
  kind: StepKind;
  env: string;
  /** The namespace, app, database or certificate the step is about. */
  name: string;
  /** Steps that must have succeeded first. */
  needs: string[];
}

export interface Plan {
  tenant: string;
  environments: EnvironmentInFile[];
  steps: Step[];
}

export const stepId = (env: string, kind: StepKind, name: string) => `${env}/${kind}/${name}`;

/** The plan for the file's environments, or only those named (in the file's order). */
export function planUp(file: TenantFile, options: {haByDefault: readonly string[]; only?: readonly string[]}): Plan {
  const environments = resolveEnvironments(file, options.haByDefault).filter((environment) => !options.only?.length || options.only.includes(environment.name));
  const steps: Step[] = [];
  for (const environment of environments) {
    const env = environment.name;
    const add = (kind: StepKind, name: string, needs: string[]) => {
      const step = {id: stepId(env, kind, name), kind, env, name, needs};
      steps.push(step);
      return step.id;
    };
    const namespace = add('environment', environment.namespace, []);
    for (const database of environment.databases) add('database', database.name, [namespace]);
    for (const certificate of environment.certificates) add('certificate', certificate.name, [namespace]);
    for (const app of environment.apps) {
      const certificate = app.certificate !== undefined ? [stepId(env, 'certificate', app.certificate)] : [];
      add('app', app.name, [namespace, ...app.databases.map((binding) => stepId(env, 'database', binding.database)), ...certificate]);
    }
  }
  return {tenant: file.metadata.name, environments, steps};
}

/** Every step that depends on this one, directly or not. */
export function dependantsOf(steps: readonly Step[], id: string): Step[] {
  const found = new Set<string>();
  const visit = (of: string) => {
    for (const step of steps) {
      if (step.needs.includes(of) && !found.has(step.id)) {
        found.add(step.id);
        visit(step.id);
      }
    }
  };
  visit(id);
  return steps.filter((step) => found.has(step.id));
}
