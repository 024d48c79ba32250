/**
 * Code-point order for the text gshift sorts: Kubernetes names, label values and RFC 3339 times
 * are ASCII, where it is the order kubectl shows (and the right one for times). Not
 * localeCompare: its first call in a process loads ICU's collation, 15-20 ms of every start.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
