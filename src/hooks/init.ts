import type {Hook} from '@oclif/core/hooks';

/**
 * bin/run.js lends oclif a code-point localeCompare while it loads (its one sort of command ids
 * would otherwise load ICU's collation, 15-20 ms of every start). oclif runs this hook right
 * after loading, before version, help or any command, ours or a plugin's: the real one is back.
 */
const hook: Hook.Init = async () => {
  const localeCompare = (globalThis as Record<symbol, unknown>)[Symbol.for('gshift.localeCompare')];
  if (typeof localeCompare === 'function') String.prototype.localeCompare = localeCompare as typeof String.prototype.localeCompare;
};

export default hook;
