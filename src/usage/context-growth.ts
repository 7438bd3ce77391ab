/** The span the growth rate is measured over (ms), when the series is that long. */
const GROWTH_SPAN_MS = 60 * 60_000;
/** A shorter series than this (ms) gives no rate: too little to extrapolate from. */
const MIN_GROWTH_SPAN_MS = 5 * 60_000;

/**
 * How fast the context grows: tokens per hour between the first and the last point of the series
 * within the last hour (or the whole series, if it is shorter), never negative. Null with fewer than
 * two points or less than 5 minutes between them. Pure.
 *
 * @param series [epoch ms, context tokens] since the last compaction, oldest first
 */
export function contextGrowthPerHour(series: readonly (readonly [number, number])[]): number | null {
  const last = series.at(-1);
  if (last === undefined) return null;
  const first = series.find((p) => last[0] - p[0] <= GROWTH_SPAN_MS) ?? last;
  const span = last[0] - first[0];
  if (span < MIN_GROWTH_SPAN_MS) return null;
  return Math.max(0, ((last[1] - first[1]) / span) * 3_600_000);
}

/** Hours until `used` reaches `limit` at `perHour` tokens/hour; null when not growing or unknown. Pure. */
export function hoursLeft(used: number, limit: number, perHour: number | null): number | null {
  if (perHour === null || perHour <= 0) return null;
  return Math.max(0, (limit - used) / perHour);
}
