import { BAD_READING, checkRateWindow, contextFill, ratePercentOrNull } from '../claude/figure-bounds.ts';
import type { StatuslineView } from '../render/statusline.ts';
import type { StatuslineSnapshot } from '../render/statusline-snapshot.ts';

/** The payload figures the front reads (by hand: no schema library is loaded). Percentages 0-100; times epoch ms. */
export interface FrontPayload {
  /** Why there is no payload ('no input on stdin', 'stdin is not JSON', 'stdin JSON is not an object'), else null. */
  problem: string | null;
  sessionId: string | null;
  fiveHour: { pct: number; resetsAtMs: number } | null;
  sevenDay: { pct: number; resetsAtMs: number } | null;
  /** The `five_hour` and `seven_day` windows as sent (undefined when absent): checked against the clock by `frontView`. */
  rateWindows: { five_hour: unknown; seven_day: unknown };
  hasRateLimits: boolean;
  hasContextWindow: boolean;
  contextPct: number | null;
  /** The last response's context tokens (`current_usage`), when given as finite non-negative numbers. */
  contextTokens: number | null;
}

/** A saved official reading counts as current for this long (ms); the stored capturedAt is refreshed after it. */
export const READING_REFRESH_MS = 60_000;
/** Burn rate is measured over the last 30 min: a snapshot older than that means none since. */
export const BURN_WINDOW_MS = 30 * 60_000;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Reads the statusline payload text (reference §5.2) as `StatuslineInputSchema` and `contextSample` /
 * `rateLimitSamples` would, field by field: a field of the wrong type, or out of bounds, is treated as
 * absent (src/claude/figure-bounds.ts: rate-limit percentages in [0, 100.5] read as at most 100, a
 * context % in [0, 100], a context window of 100,000..100,000,000 tokens; a window's reset is checked
 * against now by `frontView`, with `checkRateWindow`). Pure; never throws.
 */
export function readFrontPayload(text: string): FrontPayload {
  const none: FrontPayload = {
    problem: null,
    sessionId: null,
    fiveHour: null,
    sevenDay: null,
    rateWindows: { five_hour: undefined, seven_day: undefined },
    hasRateLimits: false,
    hasContextWindow: false,
    contextPct: null,
    contextTokens: null,
  };
  if (text.trim() === '') return { ...none, problem: 'no input on stdin' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...none, problem: 'stdin is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ...none, problem: 'stdin JSON is not an object' };
  const o = raw as Record<string, unknown>;
  const rl = typeof o.rate_limits === 'object' && o.rate_limits !== null && !Array.isArray(o.rate_limits) ? (o.rate_limits as Record<string, unknown>) : null;
  const win = (k: string) => {
    const w = rl?.[k] as { used_percentage?: unknown; resets_at?: unknown } | null | undefined;
    const pct = ratePercentOrNull(w?.used_percentage);
    const resets = num(w?.resets_at);
    return pct === null || resets === null ? null : { pct, resetsAtMs: Math.round(resets * 1000) };
  };
  const cw = typeof o.context_window === 'object' && o.context_window !== null ? (o.context_window as Record<string, unknown>) : null;
  const { tokens: contextTokens, pct: contextPct } = contextFill(cw);
  return {
    problem: null,
    sessionId: typeof o.session_id === 'string' && o.session_id !== '' ? o.session_id : null,
    fiveHour: win('five_hour'),
    sevenDay: win('seven_day'),
    rateWindows: { five_hour: rl?.five_hour, seven_day: rl?.seven_day },
    hasRateLimits: rl !== null,
    hasContextWindow: cw !== null,
    contextPct,
    contextTokens,
  };
}

/**
 * What the status line shows at `nowMs`: the payload's official figures where it has them (5-hour %, its
 * reset, 7-day %), else the snapshot's quota picture as the tracker last computed it; the burn rate from
 * the snapshot (0 once it is older than the 30-minute burn window: no tool call since). A snapshot whose
 * estimated window has ended shows `n/a (window reset)` until the next event. A payload window whose
 * figures are refused (`checkRateWindow`: a % outside [0, 100.5], a reset missing, long past or beyond
 * the window's length plus slack) shows `n/a (bad reading)` for that window, not an estimate in its
 * place. Pure.
 */
export function frontView(payload: FrontPayload, snap: StatuslineSnapshot | null, nowMs: number): StatuslineView {
  const five = checkRateWindow('five_hour', payload.rateWindows.five_hour, nowMs);
  const seven = checkRateWindow('seven_day', payload.rateWindows.seven_day, nowMs);
  // A window whose reset has passed is not current (Claude Code may still send it for a moment).
  const p = { ...payload, fiveHour: current(five), sevenDay: current(seven) };
  const burn = snap?.quota != null && nowMs - snap.atMs <= BURN_WINDOW_MS ? snap.quota.burnPerMin : 0;
  const weekly = seven.kind === 'bad' ? null : p.sevenDay !== null ? { usedPercentage: p.sevenDay.pct, ageMin: 0 } : (snap?.quota?.weekly ?? null);
  let quota: StatuslineView['quota'] = null;
  let quotaWhy: string | undefined;
  if (five.kind === 'bad') quotaWhy = BAD_READING;
  else if (p.fiveHour !== null) {
    quota = {
      window: { startMs: p.fiveHour.resetsAtMs - 5 * 3_600_000, endMs: p.fiveHour.resetsAtMs, source: 'official' },
      usedPct: p.fiveHour.pct,
      usedPctSource: 'official',
      burnPerMin: burn,
      weekly,
    };
  } else if (snap?.quota != null) {
    const q = snap.quota;
    if (q.window !== null && q.window.endMs <= nowMs) quotaWhy = 'window reset';
    else quota = { ...q, burnPerMin: burn, weekly };
  } else quotaWhy = snap === null ? 'no usage tracked yet' : (snap.quotaWhy ?? 'no quota data');
  const context: StatuslineView['context'] =
    p.contextPct !== null
      ? { pct: p.contextPct }
      : {
          pct: null,
          why: p.problem ?? (!p.hasContextWindow ? 'no context_window' : p.contextTokens !== null ? 'no usable context_window_size' : 'no response yet'),
        };
  const weeklyWhy = p.problem ?? (seven.kind === 'bad' ? BAD_READING : p.hasRateLimits ? 'not reported' : 'no rate_limits');
  return { nowMs, quota, ...(quotaWhy === undefined ? {} : { quotaWhy }), weeklyWhy, context };
}

/** A payload window that applies now: checked `ok` (its reset ahead, and believably so). */
function current(c: ReturnType<typeof checkRateWindow>): { pct: number; resetsAtMs: number } | null {
  return c.kind === 'ok' ? { pct: c.pct, resetsAtMs: c.resetsAtMs } : null;
}

/**
 * Whether this payload has something to save that the snapshot says is not saved yet: an official
 * reading that differs or was saved over READING_REFRESH_MS ago, or another context % for the session.
 * Only then does the front spool it and start the tracker. Pure.
 */
export function payloadNeedsSaving(payload: FrontPayload, snap: StatuslineSnapshot | null, nowMs: number): boolean {
  const p = {
    ...payload,
    fiveHour: current(checkRateWindow('five_hour', payload.rateWindows.five_hour, nowMs)),
    sevenDay: current(checkRateWindow('seven_day', payload.rateWindows.seven_day, nowMs)),
  };
  const official = p.fiveHour !== null || p.sevenDay !== null;
  const ctx = p.sessionId !== null && p.contextPct !== null;
  if (!official && !ctx) return false;
  if (snap === null) return true;
  if (official) {
    const o = snap.official;
    if (o.savedAtMs === null || nowMs - o.savedAtMs >= READING_REFRESH_MS) return true;
    if ((p.fiveHour?.pct ?? null) !== null && p.fiveHour!.pct !== o.fiveHourPct) return true;
    if ((p.sevenDay?.pct ?? null) !== null && p.sevenDay!.pct !== o.sevenDayPct) return true;
  }
  if (ctx) {
    const saved = snap.contextPct[p.sessionId!];
    if (saved === undefined || Math.abs(saved - p.contextPct!) >= 0.5) return true;
  }
  return false;
}
