// oclif discovers command files in no fixed order, so the manifest it writes differs from build
// to build. Sorting the commands makes the committed file a stable record of the CLI.
import {readFileSync, writeFileSync} from 'node:fs';

const file = new URL('../oclif.manifest.json', import.meta.url);
const manifest = JSON.parse(readFileSync(file, 'utf8')) as {commands: Record<string, unknown>};
manifest.commands = Object.fromEntries(Object.entries(manifest.commands).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
