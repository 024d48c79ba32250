import type {ApiResource} from './index.js';

/** The URL path of a collection, an object or one of its subresources. */
export function resourcePath(resource: ApiResource, namespace?: string, name?: string, subresource?: string): string {
  const root = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const parts = [root];
  if (resource.namespaced && namespace) parts.push('namespaces', encodeURIComponent(namespace));
  parts.push(resource.plural);
  if (name) parts.push(encodeURIComponent(name));
  if (subresource) parts.push(subresource);
  return parts.join('/');
}

/**
 * Warning headers (RFC 7234: `299 - "text"`, several joined with ", ") as plain messages:
 * Pod Security violations in warn mode, deprecated APIs, unknown fields.
 */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  const warnings: string[] = [];
  const pattern = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) {
    warnings.push(match[1]!.replace(/\\(.)/g, '$1'));
  }
  return warnings;
}
