import type {KubeObject} from '../cluster/index.js';
import {usageError} from '../errors.js';
import {type Engine, ENGINES} from './engines.js';

/**
 * A binding hands an app a database's connection settings as environment variables that
 * reference the database's Secret (secretKeyRef): the Deployment holds names of keys, never a
 * password. `<PREFIX>_URL` is assembled by Kubernetes from the variables before it ($(VAR)
 * expansion), so it too is never written down.
 */
export interface Binding {
  /** The database (its Secret has the same name). */
  database: string;
  engine: Engine['name'];
  /** DATABASE → DATABASE_HOST, DATABASE_URL, … */
  prefix: string;
  /** The Secret, when not named like the database (a CloudNativePG cluster's `<name>-app`). */
  secret?: string;
}

export const DEFAULT_PREFIX = 'DATABASE';

/** A prefix is the start of a variable name: upper-case letters, digits and "_", not a digit first. */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(prefix)) throw usageError(`--prefix ${JSON.stringify(prefix)} is not the start of an environment variable name.`, 'use upper-case letters, digits and "_", e.g. --prefix ORDERS_DB.');
  return prefix;
}

type Json = Record<string, any>;

/** The variables of one binding, in an order where every $(VAR) refers to one defined before it. */
export function bindingVariables(binding: Binding): Json[] {
  const engine = ENGINES[binding.engine];
  const {prefix} = binding;
  const secret = binding.secret ?? binding.database;
  const ref = (name: string, key: string) => ({name: `${prefix}_${name}`, valueFrom: {secretKeyRef: {name: secret, key}}});
  const variables: Json[] = [ref('HOST', 'host'), ref('PORT', 'port'), ref('USER', 'username'), ref('PASSWORD', 'password')];
  if (engine.sql) variables.push(ref('NAME', 'dbname'));
  const path = engine.sql ? `$(${prefix}_NAME)` : '0';
  variables.push({name: `${prefix}_URL`, value: `${engine.scheme}://$(${prefix}_USER):$(${prefix}_PASSWORD)@$(${prefix}_HOST):$(${prefix}_PORT)/${path}`});
  return variables;
}

/** The app's Deployment with the bindings' variables on its main container (replacing any of the same name). */
export function withBindings(objects: KubeObject[], app: string, bindings: readonly Binding[]): KubeObject[] {
  if (bindings.length === 0) return objects;
  const variables = bindings.flatMap(bindingVariables);
  const names = new Set(variables.map((variable) => variable.name));
  return objects.map((object) => {
    if (object.kind !== 'Deployment' || object.metadata.name !== app) return object;
    const copy = structuredClone(object) as Json;
    const container = copy.spec.template.spec.containers[0];
    container.env = [...((container.env ?? []) as Json[]).filter((variable) => !names.has(variable.name)), ...variables];
    return copy as KubeObject;
  });
}

/** The bindings recorded in an app's stored inputs (prefix → "engine/database[/secret]"). */
export function bindingsOf(databases: Record<string, string> | undefined): Binding[] {
  return Object.entries(databases ?? {}).flatMap(([prefix, value]) => {
    const [engine, database, secret] = value.split('/');
    return engine && database && engine in ENGINES ? [{prefix, engine: engine as Engine['name'], database, ...(secret ? {secret} : {})}] : [];
  });
}

/** How a binding is recorded in the app's stored inputs. */
export const bindingValue = (binding: Pick<Binding, 'engine' | 'database' | 'secret'>) => `${binding.engine}/${binding.database}${binding.secret ? `/${binding.secret}` : ''}`;
