/**
 * The first index of ascending `a` whose value is not below `x` (`a.length` when every value is). Pure;
 * O(log n). Shared by the report's key-hash lookups (report-keys.ts) and its block tail (report-delta.ts).
 */
export function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
