/**
 * Without --follow, each pod's lines come in their own order; shown together they are merged
 * by timestamp, so the output reads as one timeline. Lines of one stream keep their order;
 * among equal timestamps the earlier stream goes first. Pure.
 */
export function mergeByTime<T extends {stamp?: string}>(streams: T[][]): T[] {
  const positions = streams.map(() => 0);
  const merged: T[] = [];
  const total = streams.reduce((sum, stream) => sum + stream.length, 0);
  while (merged.length < total) {
    let best = -1;
    for (let index = 0; index < streams.length; index++) {
      const candidate = streams[index]![positions[index]!];
      if (candidate === undefined) continue;
      const current = best < 0 ? undefined : streams[best]![positions[best]!]!;
      if (!current || (candidate.stamp ?? '') < (current.stamp ?? '')) best = index;
    }
    merged.push(streams[best]![positions[best]!]!);
    positions[best]!++;
  }
  return merged;
}
