/**
 * One log line as gshift shows it, and how the kubelet's `timestamps=true` prefix is read.
 * Pure: no I/O.
 */
export interface LogLine {
  /** The pod's full name. */
  pod: string;
  container: string;
  node?: string;
  /** The kubelet's timestamp of the line (RFC 3339, as the server sent it). */
  time?: string;
  message: string;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Go trims trailing zeros from nanoseconds; padding them back (always nine digits) makes
 * timestamps compare correctly as strings.
 */
export function normaliseStamp(stamp: string): string | undefined {
  // Consecutive lines of a stream often share their time: the last answer is kept.
  if (stamp === lastStamp) return lastNormalised;
  const match = RFC3339.exec(stamp);
  lastStamp = stamp;
  lastNormalised = match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z` : undefined;
  return lastNormalised;
}

let lastStamp: string | undefined;
let lastNormalised: string | undefined;

export interface StampedText {
  /** The timestamp as sent. */
  time?: string;
  /** normaliseStamp(time): for ordering and de-duplication. */
  stamp?: string;
  message: string;
}

/** Splits `<RFC3339Nano> <text>` (a log requested with timestamps=true). */
export function splitStamp(raw: string): StampedText {
  const space = raw.indexOf(' ');
  const stamp = space > 0 ? normaliseStamp(raw.slice(0, space)) : undefined;
  if (!stamp) return {message: raw};
  return {time: raw.slice(0, space), stamp, message: raw.slice(space + 1)};
}

/** The message parsed, when it is a JSON object (structured logging); otherwise undefined. */
export function structuredMessage(message: string): Record<string, unknown> | undefined {
  const text = message.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A timestamp cut to whole seconds (sinceTime has second precision): never later than `stamp`. */
export function wholeSecond(stamp: string): string {
  return `${stamp.slice(0, 19)}Z`;
}
