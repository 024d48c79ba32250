// What bin/run.js starts: oclif's entry point. The build bundles it with every command and hook
// (scripts/bundle.ts), so oclif's own modules load as a few files instead of some hundred.
export {execute} from '@oclif/core/execute';

/**
 * Set by scripts/bundle.ts: the first words of gshift's own commands (app, db, status …),
 * space-separated. A string, so that esbuild writes it in place rather than as a shared value
 * every module would initialise.
 */
declare const GSHIFT_COMMAND_ROOTS: string | undefined;

/** The first word of each of gshift's commands and topics; empty when not bundled (all unknown, then). */
export const commandRoots: ReadonlySet<string> = new Set(typeof GSHIFT_COMMAND_ROOTS === 'undefined' ? [] : GSHIFT_COMMAND_ROOTS.split(' '));
