import {readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

/** The repository root, so tests can name real files (the catalogue, the shared test data). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Real templates from openshift/library, kept beside the repository in ../shared (never copied). */
export const sharedTemplatesDir = fileURLToPath(new URL('../../../../shared/testdata/openshift-templates/', import.meta.url));

export const sharedTemplateFiles = readdirSync(sharedTemplatesDir).filter((file) => file.endsWith('.json')).sort();

export const sharedTemplate = (file: string) => `${sharedTemplatesDir}${file}`;
