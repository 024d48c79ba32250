import {usageError} from '../errors.js';

/** --grep and --exclude: which messages to show. Pure. */
export type LineFilter = (message: string) => boolean;

function compile(flag: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    throw usageError(`--${flag} "${source}" is not a valid regular expression: ${reason}.`, `write a JavaScript regular expression, e.g. --${flag} 'timeout|refused'; escape special characters with \\.`);
  }
}

/** Shows a line when it matches --grep (if given) and does not match --exclude (if given). */
export function lineFilter(grep?: string, exclude?: string): LineFilter {
  const wanted = grep === undefined ? undefined : compile('grep', grep);
  const unwanted = exclude === undefined ? undefined : compile('exclude', exclude);
  if (!wanted && !unwanted) return () => true;
  return (message) => (!wanted || wanted.test(message)) && !(unwanted && unwanted.test(message));
}
