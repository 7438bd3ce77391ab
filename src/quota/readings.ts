import type { RateLimitSample } from '../claude/statusline-input.ts';
import type { OfficialReading } from '../store/schema-official.ts';

/** An unchanged reading's `capturedAt` is refreshed once it is this old (ms), not on every statusline run. */
export const REFRESH_AFTER_MS = 60_000;
/** Readings whose window reset more than this long ago (ms) are dropped (they still serve weekly pace and calibration until then). */
export const KEEP_AFTER_RESET_MS = 8 * 24 * 3_600_000;
/** At most this many readings are kept (the newest). */
export const MAX_READINGS = 2_000;

export interface FoldOptions {
  /** Refresh an unchanged latest reading's `capturedAt` once it is at least this old (ms). Default REFRESH_AFTER_MS; 0 always refreshes. */
  refreshAfterMs?: number;
}

/**
 * Folds a statusline payload's `rate_limits` windows into the stored readings (oldest first). Pure.
 *
 * For each sample whose reset is still ahead of `nowMs` (a past reset is never recorded as current):
 * - the latest reading of that window has the same `usedPercentage` and `resetsAt`: its `capturedAt` is
 *   set to now if it is at least `refreshAfterMs` old, else nothing changes;
 * - otherwise a reading `{window, usedPercentage, resetsAt, capturedAt: now}` is appended.
 * Then readings whose reset passed more than 8 days before `nowMs` are dropped, and only the newest
 * MAX_READINGS are kept.
 *
 * @param readings the stored readings (not mutated)
 * @param samples the payload's windows (`rateLimitSamples`)
 * @param nowMs epoch ms
 * @returns `readings` itself (the same array object) when nothing changed, so the caller writes nothing;
 *   else a new array
 */
export function foldReadings(
  readings: readonly OfficialReading[],
  samples: readonly RateLimitSample[],
  nowMs: number,
  opts: FoldOptions = {},
): readonly OfficialReading[] {
  const refreshAfter = opts.refreshAfterMs ?? REFRESH_AFTER_MS;
  const nowIso = new Date(nowMs).toISOString();
  let out: OfficialReading[] | null = null;
  const cur = (): readonly OfficialReading[] => out ?? readings;
  for (const s of samples) {
    if (!(s.resetsAtMs > nowMs)) continue;
    const resetsAt = new Date(s.resetsAtMs).toISOString();
    const list = cur();
    const at = latestIndex(list, s.window);
    const latest = at < 0 ? undefined : list[at];
    if (latest !== undefined && latest.usedPercentage === s.usedPercentage && latest.resetsAt === resetsAt) {
      const age = nowMs - Date.parse(latest.capturedAt);
      if (!(age >= refreshAfter) || latest.capturedAt === nowIso) continue;
      out ??= [...readings];
      out[at] = { ...latest, capturedAt: nowIso };
    } else {
      out ??= [...readings];
      out.push({ window: s.window, usedPercentage: s.usedPercentage, resetsAt, capturedAt: nowIso });
    }
  }
  const list = cur();
  const keep = list.filter((r) => !(Date.parse(r.resetsAt) < nowMs - KEEP_AFTER_RESET_MS));
  const pruned = keep.length > MAX_READINGS ? keep.slice(keep.length - MAX_READINGS) : keep;
  if (pruned.length !== list.length) return pruned;
  return list;
}

/** Index of the latest reading of `window`: the greatest `capturedAt`, the later position on ties; -1 when none. */
function latestIndex(readings: readonly OfficialReading[], window: string): number {
  let best = -1;
  let bestMs = -Infinity;
  readings.forEach((r, i) => {
    if (r.window !== window) return;
    const ms = Date.parse(r.capturedAt);
    if (best < 0 || ms >= bestMs) {
      best = i;
      bestMs = ms;
    }
  });
  return best;
}
