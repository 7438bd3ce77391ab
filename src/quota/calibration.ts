import type { CalibrationSample } from '../store/schema-alerts.ts';
import { isBelievableReading } from './official.ts';
import type { OfficialReading } from '../store/schema-official.ts';
import { WINDOW_MS } from '../usage/blocks.ts';

/** Below this utilization (%) a reading is too coarse (one decimal) to calibrate from. */
export const MIN_CALIBRATION_PCT = 5;
/** A reading this old (ms) no longer matches the transcripts closely enough to sample. */
const MAX_SAMPLE_AGE_MS = 10 * 60_000;
/** Samples kept, and how many of the newest are used. */
export const MAX_SAMPLES = 50;
const USED_SAMPLES = 12;

/**
 * A calibration sample from the newest `five_hour` reading: counted tokens in its window up to the
 * reading, against its utilization. Null when the reading is missing, old, too coarse (< 5 %), already
 * sampled, or when no tokens were counted in its window. Only believable readings count
 * (official.ts `isBelievableReading`). Pure.
 *
 * @param countedBetween counted tokens (weighted) with timestamps in [fromMs, toMs]
 */
export function sampleFromReading(
  readings: readonly OfficialReading[],
  samples: readonly CalibrationSample[],
  countedBetween: (fromMs: number, toMs: number) => number,
  nowMs: number,
): CalibrationSample | null {
  // A reading an older build saved unchecked (1e308 %, a reset in year 58903) never becomes a sample.
  const latest = readings.filter((r) => r.window === 'five_hour' && isBelievableReading(r)).at(-1);
  if (latest === undefined) return null;
  const at = Date.parse(latest.capturedAt);
  const resetsAt = Date.parse(latest.resetsAt);
  if (nowMs - at > MAX_SAMPLE_AGE_MS || resetsAt <= at || latest.usedPercentage < MIN_CALIBRATION_PCT) return null;
  const windowStart = new Date(resetsAt - WINDOW_MS).toISOString();
  if (samples.some((s) => s.windowStart === windowStart && s.usedPercentage === latest.usedPercentage)) return null;
  const counted = countedBetween(resetsAt - WINDOW_MS, at);
  if (counted <= 0) return null;
  return {
    at: latest.capturedAt,
    windowStart,
    counted,
    usedPercentage: latest.usedPercentage,
    impliedBudget: Math.round(counted / (latest.usedPercentage / 100)),
  };
}

/**
 * The effective 5-hour budget (counted tokens) implied by official readings: the median of the newest
 * samples after dropping outliers (more than 2x off the median), so one odd reading (a window shared
 * with another machine, a transcript not seen) cannot swing it. Null without samples. Pure.
 */
export function calibratedBudget(samples: readonly CalibrationSample[]): { budget: number; samples: number } | null {
  const recent = samples
    .slice(-USED_SAMPLES)
    .map((s) => s.impliedBudget)
    .filter((b) => b > 0);
  if (recent.length === 0) return null;
  const m0 = median(recent);
  const kept = recent.filter((b) => b >= m0 / 2 && b <= m0 * 2);
  return { budget: Math.round(median(kept)), samples: kept.length };
}

/** The 90th percentile (nearest rank) of completed windows' counted tokens; null without any. Pure. */
export function p90Budget(completedWindowTokens: readonly number[]): number | null {
  const xs = completedWindowTokens.filter((x) => x > 0).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return xs[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)]!;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
