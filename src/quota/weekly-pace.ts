import type { OfficialReading } from '../store/schema-official.ts';
import { currentOfficial } from './official.ts';

/** The 7-day utilization (official) and where it is heading. Times in epoch ms. */
export interface WeeklyPace {
  usedPercentage: number;
  resetsAtMs: number;
  ageMin: number;
  /** % per hour over the span below (measured from two official readings); null without an earlier reading. */
  pctPerHour: number | null;
  /** Hours the pace was measured over. */
  spanHours: number | null;
  /** When 100 % is reached at that pace; null when the pace is zero or unknown. */
  fullAtMs: number | null;
  /** True when, at this pace, 100 % comes before the weekly reset. */
  fullBeforeReset: boolean;
}

/** Preferred span of the pace (ms): the last 24 h; a shorter span is used when that is all there is. */
const PACE_SPAN_MS = 24 * 3_600_000;
const MIN_SPAN_MS = 3_600_000;

/**
 * The weekly pace: the current `seven_day` reading, and the rate at which it rose since the reading
 * closest to 24 h earlier in the same weekly window (at least 1 h earlier). Pure.
 */
export function weeklyPace(readings: readonly OfficialReading[], nowMs: number): WeeklyPace | null {
  const cur = currentOfficial(readings, 'seven_day', nowMs);
  if (cur === null) return null;
  const sameWindow = readings.filter((r) => r.window === 'seven_day' && Date.parse(r.resetsAt) === cur.resetsAtMs);
  let earlier: OfficialReading | undefined;
  for (const r of sameWindow) {
    const age = cur.capturedAtMs - Date.parse(r.capturedAt);
    if (age < MIN_SPAN_MS) continue;
    if (earlier === undefined || Math.abs(age - PACE_SPAN_MS) < Math.abs(cur.capturedAtMs - Date.parse(earlier.capturedAt) - PACE_SPAN_MS)) earlier = r;
  }
  if (earlier === undefined) {
    return {
      usedPercentage: cur.usedPercentage,
      resetsAtMs: cur.resetsAtMs,
      ageMin: cur.ageMin,
      pctPerHour: null,
      spanHours: null,
      fullAtMs: null,
      fullBeforeReset: false,
    };
  }
  const spanHours = (cur.capturedAtMs - Date.parse(earlier.capturedAt)) / 3_600_000;
  const pctPerHour = Math.max(0, (cur.usedPercentage - earlier.usedPercentage) / spanHours);
  const fullAtMs = pctPerHour > 0 ? cur.capturedAtMs + ((100 - cur.usedPercentage) / pctPerHour) * 3_600_000 : null;
  return {
    usedPercentage: cur.usedPercentage,
    resetsAtMs: cur.resetsAtMs,
    ageMin: cur.ageMin,
    pctPerHour,
    spanHours,
    fullAtMs,
    fullBeforeReset: fullAtMs !== null && fullAtMs < cur.resetsAtMs,
  };
}
