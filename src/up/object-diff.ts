import type {KubeObject} from '../cluster/index.js';
import {toYaml} from '../render/yaml-emit.js';

/**
 * What `gshift diff` shows of one object: a unified diff of its YAML as it is and as `up` would
 * make it (from the server's dry run), without what the server keeps for itself (managedFields,
 * resourceVersion, uid, status, …). A new object shows only the fields gshift sets (those its
 * apply would own): the server's defaults are noise there. Pure.
 */

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink', 'deletionGracePeriodSeconds'];
const SERVER_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

/**
 * The object without status and the metadata the server manages, apiVersion, kind and metadata
 * first (an apply's answer and a read list them in different orders: not a difference).
 */
export function withoutServerFields(object: KubeObject): KubeObject {
  const {status: _status, apiVersion, kind, metadata: _metadata, ...rest} = object as KubeObject & {status?: unknown};
  const metadata: Record<string, unknown> = {...object.metadata};
  for (const field of SERVER_METADATA) delete metadata[field];
  const annotations = Object.fromEntries(Object.entries(object.metadata.annotations ?? {}).filter(([key]) => !SERVER_ANNOTATIONS.includes(key)));
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return {apiVersion, kind, metadata, ...rest} as KubeObject;
}

type FieldSet = Record<string, unknown>;

/** The fields a field manager's apply owns (its managedFields fieldsV1), or undefined when it owns none. */
export function appliedFields(object: KubeObject, manager: string): FieldSet | undefined {
  const entries = object.metadata.managedFields as {manager?: string; operation?: string; subresource?: string; fieldsV1?: FieldSet}[] | undefined;
  return entries?.find((entry) => entry.manager === manager && entry.operation === 'Apply' && !entry.subresource)?.fieldsV1;
}

/**
 * The parts of `value` a fieldsV1 set names: `f:name` a field, `k:{…}` a list item by its key
 * fields, `v:…` a list item by value, `i:N` by index; an empty set, the whole value.
 */
export function selectFields(value: unknown, fields: FieldSet): unknown {
  const keys = Object.keys(fields).filter((key) => key !== '.');
  if (keys.length === 0) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const key of keys) {
      const item = findItem(value, key);
      if (item !== undefined) items.push(selectFields(item, fields[key] as FieldSet));
    }
    return items;
  }
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const selected: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const set = fields[`f:${key}`];
    if (set !== undefined) selected[key] = selectFields(object[key], set as FieldSet);
  }
  return selected;
}

function findItem(items: unknown[], key: string): unknown {
  const body = key.slice(2);
  if (key.startsWith('i:')) return items[Number(body)];
  const wanted = JSON.parse(body) as unknown;
  if (key.startsWith('v:')) return items.find((item) => JSON.stringify(item) === JSON.stringify(wanted));
  if (key.startsWith('k:')) {
    return items.find((item) => item !== null && typeof item === 'object' && Object.entries(wanted as Record<string, unknown>).every(([field, expected]) => JSON.stringify((item as Record<string, unknown>)[field]) === JSON.stringify(expected)));
  }
  return undefined;
}

export interface ObjectDiffInput {
  /** "shop-dev/Deployment/web" */
  title: string;
  before?: KubeObject;
  after: KubeObject;
  /** The field manager whose owned fields a new object is shown with (gshift). */
  manager: string;
}

/** The unified diff of one object, with `---`/`+++` headers; empty when nothing differs. */
export function objectDiff(input: ObjectDiffInput): string {
  const shownAfter = (() => {
    if (input.before) return withoutServerFields(input.after);
    const owned = appliedFields(input.after, input.manager);
    return withoutServerFields(owned ? ({apiVersion: input.after.apiVersion, kind: input.after.kind, ...(selectFields(input.after, owned) as object)} as KubeObject) : input.after);
  })();
  const before = input.before ? yamlLines(withoutServerFields(input.before)) : [];
  const after = yamlLines(shownAfter);
  const hunks = unifiedDiff(before, after, 3);
  if (hunks.length === 0) return '';
  return [`--- ${input.title} (${input.before ? 'cluster' : 'absent'})`, `+++ ${input.title} (gshift.yaml)`, ...hunks].join('\n');
}

const yamlLines = (object: KubeObject) => toYaml(object).trimEnd().split('\n');

type Edit = {op: ' ' | '-' | '+'; line: string};

/** The edits that turn a into b: a longest common subsequence of lines (objects are short). */
export function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const lengths = new Uint32Array(rows * columns);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * columns + j] = a[i] === b[j] ? lengths[(i + 1) * columns + j + 1]! + 1 : Math.max(lengths[(i + 1) * columns + j]!, lengths[i * columns + j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({op: ' ', line: a[i]!});
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lengths[(i + 1) * columns + j]! >= lengths[i * columns + j + 1]!)) {
      edits.push({op: '-', line: a[i]!});
      i++;
    } else {
      edits.push({op: '+', line: b[j]!});
      j++;
    }
  }
  return edits;
}

/** Unified-diff hunks (`@@ -a,n +b,m @@` and their lines) with `context` unchanged lines around each change. */
export function unifiedDiff(a: readonly string[], b: readonly string[], context = 3): string[] {
  const edits = lineEdits(a, b);
  const changed = edits.map((edit, index) => (edit.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length - 1, index + context);
    const last = ranges.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  const lines: string[] = [];
  for (const [start, end] of ranges) {
    const before = edits.slice(0, start);
    const oldStart = before.filter((edit) => edit.op !== '+').length;
    const newStart = before.filter((edit) => edit.op !== '-').length;
    const hunk = edits.slice(start, end + 1);
    const oldCount = hunk.filter((edit) => edit.op !== '+').length;
    const newCount = hunk.filter((edit) => edit.op !== '-').length;
    lines.push(`@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@`);
    lines.push(...hunk.map((edit) => `${edit.op}${edit.line}`));
  }
  return lines;
}
