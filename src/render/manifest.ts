import type {KubeObject} from './template.js';
import {toList} from './process.js';
import {toYaml} from './yaml-emit.js';

export type ManifestFormat = 'yaml' | 'json';

/**
 * Prints objects as one `kind: List` that `kubectl apply -f -` accepts. Strings that could read
 * as anything else (numbers, booleans, YAML syntax) are quoted, so a value stays a string.
 */
export async function formatManifests(objects: KubeObject[], format: ManifestFormat): Promise<string> {
  const list = toList(objects);
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  return toYaml(list);
}
