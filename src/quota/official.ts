import { isEpochMs, isPlausibleReset, percentOrNull } from '../claude/figure-bounds.ts';
import type { OfficialReading } from '../store/schema-official.ts';

/** An official reading that still applies: its window has not reset yet. Times in epoch ms. */
export interface CurrentOfficial {
  usedPercentage: number;
  resetsAtMs: number;
  capturedAtMs: number;
  /** Minutes since the statusline last confirmed this value (floored). */
  ageMin: number;
}

/**
 * The latest reading of `window` (`five_hour`, `seven_day`) whose reset is still ahead of `nowMs`;
 * null when there is none. Readings older than their reset are discarded, never shown as current; so
 * are readings that are not believable (`isBelievableReading`: saved by an older build that did not
 * check them, or edited by hand). Pure.
 */
export function currentOfficial(readings: readonly OfficialReading[], window: string, nowMs: number): CurrentOfficial | null {
  let best: OfficialReading | null = null;
  for (const r of readings) {
    if (r.window !== window || !isBelievableReading(r)) continue;
    if (Date.parse(r.resetsAt) <= nowMs) continue;
    if (best === null || Date.parse(r.capturedAt) >= Date.parse(best.capturedAt)) best = r;
  }
  if (best === null) return null;
  const capturedAtMs = Date.parse(best.capturedAt);
  return {
    usedPercentage: best.usedPercentage,
    resetsAtMs: Date.parse(best.resetsAt),
    capturedAtMs,
    ageMin: Math.max(0, Math.floor((nowMs - capturedAtMs) / 60_000)),
  };
}

/**
 * Whether a stored reading could have come from Claude Code: `usedPercentage` in [0, 100], `capturedAt`
 * a showable time, and `resetsAt` no further after it than the window's length plus slack
 * (src/claude/figure-bounds.ts). Pure.
 */
export function isBelievableReading(r: OfficialReading): boolean {
  const captured = Date.parse(r.capturedAt);
  return percentOrNull(r.usedPercentage) !== null && isEpochMs(captured) && isPlausibleReset(r.window, Date.parse(r.resetsAt), captured);
}
