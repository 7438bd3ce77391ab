/**
 * Whole minutes for planned times (epoch ms in, epoch ms out; pure). Nobody plans a session for 12:29:46:
 * - the scheduler rounds new start times UP (`ceilToMinute`): a start is a lower bound (now, a window
 *   reset, the end of a dependency), so rounding up never moves it before one;
 * - the calendar export rounds DOWN (`floorToMinute`): the event shows the HH:MM every cco report prints
 *   for the same time (they cut the seconds), even for a time with seconds typed with `--at` or written
 *   by an older build.
 */

/** One minute in ms. */
export const MINUTE_MS = 60_000;

/** `ms` rounded down to a whole minute (already whole: unchanged). */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** `ms` rounded up to a whole minute (already whole: unchanged). */
export function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}
