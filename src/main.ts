// What bin/run.js starts: oclif's entry point. The build bundles it with every command and hook
// (scripts/bundle.ts), so oclif's own modules load as a few files instead of some hundred.
export {execute} from '@oclif/core/execute';
