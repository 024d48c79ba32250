import type {KubeObject} from './template.js';
import {toList} from './process.js';

export type ManifestFormat = 'yaml' | 'json';

/**
 * Prints objects as one `kind: List` that `kubectl apply -f -` accepts. YAML strings that look
 * like numbers, booleans or YAML syntax are quoted by the serializer, so a value stays a string.
 */
export async function formatManifests(objects: KubeObject[], format: ManifestFormat): Promise<string> {
  const list = toList(objects);
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  const {stringify} = await import('yaml');
  return stringify(list, {lineWidth: 0, aliasDuplicateObjects: false});
}
