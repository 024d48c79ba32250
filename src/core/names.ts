/**
 * Kubernetes names, with the rule a bad one breaks spelled out. Tenants, environments,
 * namespaces, databases and certificates are DNS-1123 labels; apps are RFC 1035 labels (their
 * Service must be valid); hosts and most object names are DNS-1123 subdomains.
 */
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_LIMIT = 253;
const LABEL_LIMIT = 63;

export type NameKind = 'dns-label' | 'dns-1035-label';

/** Which label rule a name breaks, as a clause ("it has the upper-case letter "S""), or undefined. */
export function brokenLabelRule(name: string, kind: NameKind = 'dns-label'): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > LABEL_LIMIT) return `it has ${name.length} characters and the limit is ${LABEL_LIMIT}`;
  const bad = [...name].find((character) => !/[a-z0-9-]/.test(character));
  if (bad) return bad >= 'A' && bad <= 'Z' ? `it has the upper-case letter "${bad}"` : `it has the character ${JSON.stringify(bad)}`;
  if (kind === 'dns-1035-label' && !/^[a-z]/.test(name)) return 'it must start with a letter';
  if (name.startsWith('-')) return 'it must start with a letter or digit';
  if (name.endsWith('-')) return 'it must end with a letter or digit';
  return LABEL.test(name) ? undefined : 'it is not a DNS label';
}

export function isDnsLabel(name: string): boolean {
  return brokenLabelRule(name) === undefined;
}

/** Which DNS-1123 subdomain rule a name breaks (dot-separated labels, at most 253 characters), or undefined. */
export function brokenSubdomainRule(name: string, options: {minLabels?: number} = {}): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > SUBDOMAIN_LIMIT) return `it has ${name.length} characters and the limit is ${SUBDOMAIN_LIMIT}`;
  const labels = name.split('.');
  if (labels.length < (options.minLabels ?? 1)) return `it needs at least ${options.minLabels} dot-separated parts`;
  for (const label of labels) {
    const rule = brokenLabelRule(label);
    if (rule) return label === '' ? 'it has an empty part between dots' : labels.length === 1 ? rule : `the part "${label}": ${rule}`;
  }
  return undefined;
}

export function isDnsSubdomain(name: string): boolean {
  return brokenSubdomainRule(name) === undefined;
}
