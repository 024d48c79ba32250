/**
 * Parameter substitution on parsed values, as OpenShift does it, never on text: a value is
 * placed into a string and stays a string, so `a: [b]` or `{"x": 1}` in a parameter value cannot
 * add structure to a manifest. Only `${{NAME}}` standing alone as a whole string is JSON-decoded
 * (oc's documented escape hatch for numbers, booleans and lists).
 */
const STRING_REFERENCE = /\$\{([a-zA-Z0-9_]+?)\}/g;
const WHOLE_VALUE_REFERENCE = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;

export type ParameterValues = ReadonlyMap<string, string>;

/** True when a string mentions a parameter the way oc tests it (used for namespace stripping). */
export function referencesParameter(text: string): boolean {
  STRING_REFERENCE.lastIndex = 0;
  return STRING_REFERENCE.test(text);
}

/**
 * Substitutes inside one string. References to parameters that do not exist are left as they
 * are. Replacement is a single pass: a value that itself contains `${X}` is not expanded again.
 */
export function substituteString(text: string, values: ParameterValues): unknown {
  if (!text.includes('${')) return text;
  const whole = WHOLE_VALUE_REFERENCE.exec(text);
  if (whole) {
    const value = values.get(whole[1]!);
    if (value !== undefined) return decodeWholeValue(value);
  }
  return text.replace(STRING_REFERENCE, (reference, name: string) => values.get(name) ?? reference);
}

/** oc keeps the text when it is not valid JSON (an unquoted word stays a string). */
function decodeWholeValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Returns a substituted copy of a parsed value; the input (a cached template) is never changed. */
export function substituteValue(value: unknown, values: ParameterValues): unknown {
  if (typeof value === 'string') return substituteString(value, values);
  if (Array.isArray(value)) return value.map((item) => substituteValue(item, values));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // Keys are substituted as plain strings: a key cannot become a number or a list.
      const newKey = key.includes('${') ? substituteKey(key, values) : key;
      out[newKey] = substituteValue(item, values);
    }
    return out;
  }
  return value;
}

function substituteKey(key: string, values: ParameterValues): string {
  return key.replace(STRING_REFERENCE, (reference, name: string) => values.get(name) ?? reference);
}
