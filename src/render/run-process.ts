import {readFile} from 'node:fs/promises';

import {usageError} from '../errors.js';
import {findTemplate} from './catalogue.js';
import {combineParameterValues, parseParameterAssignments, parseParameterFile} from './parameters.js';
import {processTemplate, type ProcessResult} from './process.js';
import type {OpenShiftTemplate} from './template.js';

export interface ProcessRequest {
  /** A stack name or a template file. */
  template: string;
  templateDirs: readonly string[];
  params: readonly string[];
  paramFiles: readonly string[];
  labels: readonly string[];
  ignoreUnknown?: boolean;
}

/** `template process` and `template validate`: find, read parameters, process. */
export async function processTemplateCommand(request: ProcessRequest): Promise<ProcessResult & {name: string; source: string; template: OpenShiftTemplate; warnings: string[]}> {
  const found = await findTemplate(request.template, request.templateDirs);
  const given = parseParameterAssignments(request.params);
  const files = await Promise.all(request.paramFiles.map(async (path) => ({source: path, values: parseParameterFile(await readParamFile(path), path)})));
  const {values, overridden} = combineParameterValues(given, files);
  const labels = Object.fromEntries(
    request.labels.map((label) => {
      const match = /^([a-zA-Z0-9./_-]+)=([a-zA-Z0-9._-]*)$/.exec(label);
      if (!match) throw usageError(`-l ${JSON.stringify(label)} is not a KEY=VALUE label.`, 'write labels like -l team=blue.');
      return [match[1]!, match[2]!];
    }),
  );
  const result = processTemplate(found.template, {values, ignoreUnknown: request.ignoreUnknown, labels});
  return {...result, name: found.name, source: found.source, template: found.template, warnings: overridden};
}

async function readParamFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`Cannot read the parameter file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'check the --param-file path.');
  }
}
