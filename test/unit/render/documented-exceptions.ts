// The kube-score checks the built-in stacks deliberately do not pass, read from the table in
// docs/templates.md ("An outside linter: kube-score"), so that what CI skips is exactly what the
// documentation explains: a check cannot be skipped without a row saying where and why.
import {readFileSync} from 'node:fs';

const TEMPLATES_DOC = new URL('../../../docs/templates.md', import.meta.url);

export type Platform = 'openshift' | 'kubernetes';

export interface DocumentedException {
  /** The kube-score check, as `kube-score list` names it. */
  check: string;
  /** Stacks it applies to; undefined: every stack. */
  stacks?: string[];
  /** Platforms it applies to; undefined: both. */
  platforms?: Platform[];
  why: string;
}

const PLATFORMS: readonly string[] = ['openshift', 'kubernetes'];
const HEADING = '## An outside linter: kube-score';

/** Every row of the table; throws when the table is missing or a row does not parse. */
export function documentedExceptions(knownStacks: string[]): DocumentedException[] {
  const text = readFileSync(TEMPLATES_DOC, 'utf8');
  if (!text.includes(HEADING)) throw new Error(`docs/templates.md has no "${HEADING}" section`);
  const lines = text.slice(text.indexOf(HEADING)).split('\n');
  const header = lines.findIndex((line) => /^\| check \| where \| why \|$/.test(line.trim()));
  if (header < 0) throw new Error('docs/templates.md: the kube-score section has no "| check | where | why |" table');
  const rows: DocumentedException[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [check, where, why] = line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim());
    const name = /^`([a-z-]+)`$/.exec(check ?? '')?.[1];
    if (!name || !where || !why) throw new Error(`docs/templates.md: cannot read the kube-score exception row: ${line}`);
    rows.push({check: name, ...scope(where, knownStacks, line), why});
  }
  return rows;
}

/** `every stack`, or backquoted stack and platform names separated by commas. */
function scope(where: string, knownStacks: string[], line: string): Pick<DocumentedException, 'stacks' | 'platforms'> {
  if (where === 'every stack') return {};
  const names = where.split(',').map((token) => /^`([a-z0-9-]+)`$/.exec(token.trim())?.[1]);
  const stacks = names.filter((name): name is string => name !== undefined && knownStacks.includes(name));
  const platforms = names.filter((name): name is Platform => name !== undefined && PLATFORMS.includes(name));
  if (stacks.length + platforms.length !== names.length) throw new Error(`docs/templates.md: "${where}" names no stack or platform gshift knows, in: ${line}`);
  return {...(stacks.length > 0 ? {stacks} : {}), ...(platforms.length > 0 ? {platforms} : {})};
}

/** The documented exceptions for one render. */
export function exceptionsFor(exceptions: DocumentedException[], stack: string, platform: Platform): DocumentedException[] {
  return exceptions.filter((exception) => (exception.stacks?.includes(stack) ?? true) && (exception.platforms?.includes(platform) ?? true));
}
