import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

let root: string | undefined;

/**
 * A file gshift ships beside its code (templates/, schema/), found from the package's root: the
 * nearest directory above this module that holds a package.json. The module may sit in src/
 * (tests), dist/ or a chunk of dist/bundle/, so no fixed number of "../" would do.
 */
export function shippedPath(...segments: string[]): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    root = dir;
  }
  return join(root, ...segments);
}
