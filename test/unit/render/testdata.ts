import {existsSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

/** The repository root, so tests can name real files (the catalogue, the shared test data). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Real templates from openshift/library, kept beside the repository in ../shared (never copied);
 * from a worktree in a folder of worktrees, one level further up.
 */
export const sharedTemplatesDir = ['../../../../shared/testdata/openshift-templates/', '../../../../../shared/testdata/openshift-templates/']
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../../shared/testdata/openshift-templates/', import.meta.url));

export const sharedTemplateFiles = readdirSync(sharedTemplatesDir).filter((file) => file.endsWith('.json')).sort();

export const sharedTemplate = (file: string) => `${sharedTemplatesDir}${file}`;
