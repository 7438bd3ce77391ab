import type { WeeklyPace } from '../quota/weekly-pace.ts';
import type { OfficialReading } from '../store/schema-official.ts';

/** A week (ms): the 7-day limit resets every WEEK_MS after its `resets_at`. */
export const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * The 7-day limit as planning sees it. `usedPct` and `resetsAtMs` are the official `seven_day` reading
 * (statusline); `pctPerToken` is how many weekly % one counted token costs, an estimate from paired
 * official readings (null until there are enough).
 */
export interface WeeklyLimit {
  usedPct: number;
  resetsAtMs: number;
  /** The schedule keeps the projected weekly % at or below this (config `planning.weeklyCapPct`). */
  capPct: number;
  pctPerToken: number | null;
  /** Where `pctPerToken` comes from, e.g. `estimate, from 3 official 5-hour windows` or `unknown ...`. */
  costSource: string;
}

/** Least rise (5-hour %, summed over windows) before the weekly cost per window % is trusted. */
const MIN_FIVE_HOUR_RISE = 5;
/** A weekly reading up to this long after a 5-hour reading still pairs with it (ms): the statusline writes both at once. */
const PAIR_SLACK_MS = 60_000;

/**
 * Weekly % per 5-hour % (estimate): over each 5-hour window with two or more official readings, the rise
 * of the `seven_day` reading between the window's first and last `five_hour` readings, divided by the
 * rise of the `five_hour` reading; summed over windows. Null when the 5-hour readings rose less than 5
 * points in total, or no weekly reading pairs with them. Pure.
 *
 * @returns `{ ratio, windows }` (windows = 5-hour windows used), or null
 */
export function weeklyPerWindowRatio(readings: readonly OfficialReading[]): { ratio: number; windows: number } | null {
  const byTime = (a: OfficialReading, b: OfficialReading) => Date.parse(a.capturedAt) - Date.parse(b.capturedAt);
  const weekly = readings.filter((r) => r.window === 'seven_day').sort(byTime);
  const groups = new Map<string, OfficialReading[]>();
  for (const r of readings) {
    if (r.window !== 'five_hour') continue;
    const g = groups.get(r.resetsAt) ?? [];
    g.push(r);
    groups.set(r.resetsAt, g);
  }
  const weeklyAt = (ms: number): OfficialReading | null => {
    let best: OfficialReading | null = null;
    for (const w of weekly) if (Date.parse(w.capturedAt) <= ms + PAIR_SLACK_MS && Date.parse(w.resetsAt) > ms) best = w;
    return best;
  };
  let five = 0;
  let week = 0;
  let windows = 0;
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort(byTime);
    const first = g[0]!;
    const last = g[g.length - 1]!;
    const rise = last.usedPercentage - first.usedPercentage;
    if (rise <= 0) continue;
    const w0 = weeklyAt(Date.parse(first.capturedAt));
    const w1 = weeklyAt(Date.parse(last.capturedAt));
    if (w0 === null || w1 === null || w0.resetsAt !== w1.resetsAt) continue;
    five += rise;
    week += Math.max(0, w1.usedPercentage - w0.usedPercentage);
    windows++;
  }
  if (five < MIN_FIVE_HOUR_RISE || windows === 0) return null;
  return { ratio: week / five, windows };
}

/**
 * The weekly limit for planning: null without a current official `seven_day` reading (then the weekly
 * limit is not checked, and reports say so). `budget` is the counted tokens of one 5-hour window. Pure.
 */
export function weeklyLimit(pace: WeeklyPace | null, readings: readonly OfficialReading[], budget: number, capPct: number): WeeklyLimit | null {
  if (pace === null) return null;
  const r = weeklyPerWindowRatio(readings);
  return {
    usedPct: pace.usedPercentage,
    resetsAtMs: pace.resetsAtMs,
    capPct,
    pctPerToken: r === null || budget <= 0 ? null : (r.ratio * 100) / budget,
    costSource:
      r === null
        ? 'unknown until official 5-hour and 7-day readings have risen together'
        : `estimate, from ${r.windows} official 5-hour window${r.windows === 1 ? '' : 's'}`,
  };
}

/** Weekly % a session of `tokens` is estimated to cost; null when the cost is unknown. Pure. */
export function weeklyCost(limit: WeeklyLimit, tokens: number): number | null {
  return limit.pctPerToken === null ? null : limit.pctPerToken * tokens;
}

/**
 * Whether a session of `tokens` starting at `atMs` keeps the week under the cap, given `extraPct` already
 * planned in the same week before it. Before the reset: used + extra + cost <= cap (cost known), or
 * used + extra < cap (cost unknown). In a later week the count starts from 0. Pure.
 */
export function weeklyAllows(limit: WeeklyLimit | null, atMs: number, tokens: number, extraPct = 0): boolean {
  if (limit === null) return true;
  const base = atMs < limit.resetsAtMs ? limit.usedPct : 0;
  const cost = weeklyCost(limit, tokens);
  if (cost === null) return base + extraPct < limit.capPct;
  return base + extraPct + cost <= limit.capPct;
}

/** Index of the week `atMs` falls in: 0 before the reading's reset, 1 in the week after, ... Pure. */
export function weekIndex(limit: WeeklyLimit, atMs: number): number {
  return atMs < limit.resetsAtMs ? 0 : 1 + Math.floor((atMs - limit.resetsAtMs) / WEEK_MS);
}
