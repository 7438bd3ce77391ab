/**
 * What a figure read from outside (Claude Code's status line payload, a state or outbox file another
 * process wrote) must look like before cco shows it or computes with it. A figure out of these bounds is
 * treated as absent: the caller falls back as it does for a missing one (and says so). Pure, no
 * dependencies: the hook and status line fronts use it too.
 */

/** Earliest epoch ms accepted as a time: 2000-01-01 UTC. */
export const EPOCH_MS_MIN = Date.UTC(2000, 0, 1);
/** Latest epoch ms accepted as a time: 2200-01-01 UTC (well inside the Date range, so formatting never throws). */
export const EPOCH_MS_MAX = Date.UTC(2200, 0, 1);

/**
 * Smallest context window (tokens) accepted from Claude Code's `context_window_size`: no Claude model has
 * less, and Claude Code itself takes no auto-compaction window below 100,000 (reference §7). A smaller
 * figure would give a usable limit of 0 (the window minus the 33,000-token compaction buffer).
 */
export const MIN_CONTEXT_WINDOW = 100_000;
/** Largest context window (tokens) accepted: 100 times the largest window Claude Code ships (1,000,000). */
export const MAX_CONTEXT_WINDOW = 100_000_000;

/** Slack (ms) allowed past a rate-limit window's length for clock skew between Claude Code's host and Anthropic's. */
const RESET_SLACK_MS = 3_600_000;
/** The longest a rate-limit window other than `five_hour` / `seven_day` may reset ahead: "less than a year" (reference §11). */
const OTHER_WINDOW_MAX_MS = 366 * 24 * 3_600_000;

/**
 * The largest 5-hour quota % accepted from a state or outbox file: an estimate (tokens against a plan
 * budget) or a projection can pass 100 %, but not by a thousand times.
 */
export const MAX_QUOTA_PCT = 100_000;

const H = 3_600_000;

/** Whether `v` is a time cco can show: an integer epoch ms in [EPOCH_MS_MIN, EPOCH_MS_MAX]. */
export function isEpochMs(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= EPOCH_MS_MIN && v <= EPOCH_MS_MAX;
}

/** Whether `v` is a finite number in [min, max]. */
export function isFiniteIn(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

/**
 * A percentage Claude Code reports (`used_percentage` of `rate_limits` windows and of `context_window`),
 * or null when it is not a finite number in [0, 100] (Claude Code caps its figures at 100, reference §5.2).
 */
export function percentOrNull(v: unknown): number | null {
  return isFiniteIn(v, 0, 100) ? v : null;
}

/**
 * A `context_window_size` (tokens), or null when it is not an integer in [MIN_CONTEXT_WINDOW,
 * MAX_CONTEXT_WINDOW]. It is not compared with the tokens in use: after a switch to a model with a smaller
 * window the last response's context can exceed the new window, and a fill above 100 % is then the truth.
 */
export function contextWindowOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= MIN_CONTEXT_WINDOW && v <= MAX_CONTEXT_WINDOW ? v : null;
}

/**
 * How far ahead of now (ms) a rate-limit window may reset: its length plus RESET_SLACK_MS (`five_hour`
 * 6 h, `seven_day` 7 days 1 h), OTHER_WINDOW_MAX_MS for any other window (`spend_limit`, ...).
 */
export function resetHorizonMs(window: string): number {
  if (window === 'five_hour') return 5 * H + RESET_SLACK_MS;
  if (window === 'seven_day') return 7 * 24 * H + RESET_SLACK_MS;
  return OTHER_WINDOW_MAX_MS;
}

/**
 * Whether a window's reset (epoch ms) is believable seen from `fromMs` (now, or when the reading was
 * captured): a time cco can show, no further ahead than `resetHorizonMs(window)`. A reset in the past is
 * believable (the window is simply over; callers drop it as not current).
 */
export function isPlausibleReset(window: string, resetsAtMs: number, fromMs: number): boolean {
  return isEpochMs(resetsAtMs) && resetsAtMs - fromMs <= resetHorizonMs(window);
}

/**
 * Slack (percentage points) a `rate_limits` `used_percentage` may pass 100 by: Claude Code sends
 * min(round(utilization x 1000) / 10, 100) (reference §5.2), so anything above 100 is not its figure; a
 * little above is forgiven as rounding elsewhere (a gateway) and read as 100.
 */
const RATE_PCT_SLACK = 0.5;

/** What the status line shows (`n/a (bad reading)`) for a `rate_limits` window whose figures are refused. */
export const BAD_READING = 'bad reading';

/**
 * A `rate_limits` window's `used_percentage` (0-100): a finite number in [0, 100 + RATE_PCT_SLACK],
 * clamped to 100; null otherwise (a string, NaN, -5, 101, 1e308).
 */
export function ratePercentOrNull(v: unknown): number | null {
  return isFiniteIn(v, 0, 100 + RATE_PCT_SLACK) ? Math.min(v, 100) : null;
}

/**
 * One `rate_limits` window checked at `nowMs` (epoch ms): `ok` with its percentage (0-100, see
 * `ratePercentOrNull`) and reset (epoch ms, from `resets_at` in epoch seconds); `over` (same figures) when the reset
 * passed less than RESET_SLACK_MS ago (Claude Code may still send a window for a moment after it
 * resets: not current, and not wrong); `absent` when the window is undefined or null; `bad` (with why,
 * worded for a log line) when the window is there but a figure is refused: a percentage outside
 * [0, 100 + RATE_PCT_SLACK] or not a number, a `resets_at` missing or not a number, not a showable time,
 * further ahead than `resetHorizonMs(window)` (5 h / 7 d plus RESET_SLACK_MS), or more than
 * RESET_SLACK_MS past (Claude Code sends a window only while its reset is ahead). Pure; the tracker,
 * `cco statusline` and the status line front all decide with it.
 */
export type RateWindowCheck =
  | { kind: 'ok'; pct: number; resetsAtMs: number }
  | { kind: 'over'; pct: number; resetsAtMs: number }
  | { kind: 'absent' }
  | { kind: 'bad'; why: string };

export function checkRateWindow(window: string, w: unknown, nowMs: number): RateWindowCheck {
  if (w === undefined || w === null) return { kind: 'absent' };
  const o = typeof w === 'object' && !Array.isArray(w) ? (w as Record<string, unknown>) : {};
  const pct = ratePercentOrNull(o.used_percentage);
  if (pct === null) return { kind: 'bad', why: `rate_limits.${window}.used_percentage ${show(o.used_percentage)} is not in [0, 100]; ignored` };
  const resets = o.resets_at;
  if (typeof resets !== 'number' || !Number.isFinite(resets))
    return { kind: 'bad', why: `rate_limits.${window}.resets_at ${show(resets)} is not a time; ignored` };
  const resetsAtMs = Math.round(resets * 1000);
  if (!isPlausibleReset(window, resetsAtMs, nowMs))
    return { kind: 'bad', why: `rate_limits.${window}.resets_at ${resets} is not a reset within ${Math.round(resetHorizonMs(window) / H)} h of now; ignored` };
  if (resetsAtMs <= nowMs - RESET_SLACK_MS)
    return { kind: 'bad', why: `rate_limits.${window}.resets_at ${resets} is more than ${RESET_SLACK_MS / H} h past; ignored` };
  if (resetsAtMs <= nowMs) return { kind: 'over', pct, resetsAtMs };
  return { kind: 'ok', pct, resetsAtMs };
}

/** A hostile value, short, for a log line. */
function show(v: unknown): string {
  const s = typeof v === 'number' || v === undefined ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

/** The context figures of a status line payload's `context_window`. Tokens; percentage 0-100. */
export interface ContextFill {
  /** input + cache creation + cache read of `current_usage`; null without it or with a count not finite and >= 0. */
  tokens: number | null;
  /** `context_window_size` when believable (`contextWindowOrNull`), else null. */
  windowSize: number | null;
  /** `used_percentage` when in [0, 100], else tokens / windowSize x 100 when both are known, else null. */
  pct: number | null;
}

/**
 * What a `context_window` (as Claude Code sends it, or as `StatuslineInputSchema` parsed it) says of the
 * context, within the bounds above. A `current_usage` count that is not a number counts as 0. Used by the
 * tracker and `cco statusline` (`contextSample`) and by the status line front (`readFrontPayload`) alike.
 */
export function contextFill(cw: { current_usage?: unknown; context_window_size?: unknown; used_percentage?: unknown } | null | undefined): ContextFill {
  const cu = cw?.current_usage;
  const parts =
    typeof cu === 'object' && cu !== null
      ? [
          (cu as Record<string, unknown>).input_tokens,
          (cu as Record<string, unknown>).cache_creation_input_tokens,
          (cu as Record<string, unknown>).cache_read_input_tokens,
        ].map((v) => (typeof v === 'number' ? v : 0))
      : null;
  const tokens = parts?.every((v) => isFiniteIn(v, 0, Number.MAX_SAFE_INTEGER)) ? parts.reduce((a, b) => a + b, 0) : null;
  const windowSize = contextWindowOrNull(cw?.context_window_size);
  const pct = percentOrNull(cw?.used_percentage) ?? (tokens !== null && windowSize !== null ? (tokens / windowSize) * 100 : null);
  return { tokens, windowSize, pct };
}
