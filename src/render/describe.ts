import {findTemplate, listStackEntries, loadStackEntry} from './catalogue.js';
import {STANDARDS, standardMode, type StandardMode} from './descriptor.js';

/** What `template list` and `template show` report, as data; the commands only lay it out. */

export interface StackSummary {
  name: string;
  kind?: 'app' | 'db';
  source: 'user' | 'built-in';
  description?: string;
  path: string;
  /** Set when the template or descriptor cannot be read: listed anyway, so it can be fixed. */
  problem?: string;
}

export async function describeStacks(templateDirs: readonly string[]): Promise<StackSummary[]> {
  return Promise.all(
    listStackEntries(templateDirs).map(async (entry): Promise<StackSummary> => {
      const summary = {name: entry.name, source: entry.source, path: entry.templatePath};
      try {
        const {descriptor} = await loadStackEntry(entry);
        return {...summary, kind: descriptor.kind, description: descriptor.description};
      } catch (error) {
        return {...summary, problem: (error as Error).message};
      }
    }),
  );
}

export interface TemplateDescription {
  fields: [string, string][];
  parameters: {name: string; default: string; required: boolean; description: string}[];
  objects: {kind: string; name: string}[];
  standards: {standard: string; mode: StandardMode; reason?: string}[];
  /** The --json result. */
  result: Record<string, unknown>;
}

export async function describeTemplate(argument: string, templateDirs: readonly string[]): Promise<TemplateDescription> {
  const {name, source, template, stack} = await findTemplate(argument, templateDirs);
  const descriptor = stack?.descriptor;
  const fields: [string, string][] = [
    ['Name', name],
    ['Source', source],
    ['Description', descriptor?.description || template.metadata?.annotations?.description || ''],
  ];
  if (descriptor) {
    fields.push(['Kind', descriptor.kind], ['Image', descriptor.image ?? '(from the template)'], ['Port', String(descriptor.port ?? '')]);
    fields.push(['Optional parts', descriptor.parts.join(', ') || 'none']);
  }
  const parameters = template.parameters.map((parameter) => ({
    name: parameter.name,
    default: parameter.generate === 'expression' ? `generated: ${parameter.from}` : (parameter.value ?? ''),
    required: parameter.required === true,
    description: parameter.description ?? parameter.displayName ?? '',
  }));
  const objects = template.objects.map((object) => ({kind: object.kind, name: String(object.metadata?.name ?? '')}));
  const standards = descriptor
    ? STANDARDS.map((standard) => ({standard, mode: standardMode(descriptor, standard), ...(descriptor.standards.exempt[standard] ? {reason: descriptor.standards.exempt[standard]} : {})}))
    : [];
  return {fields, parameters, objects, standards, result: {name, source, ...(descriptor ? {descriptor} : {}), message: template.message, parameters, objects, standards}};
}
