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
export const RESET_SLACK_MS = 3_600_000;
/** The longest a rate-limit window other than `five_hour` / `seven_day` may reset ahead: "less than a year" (reference §11). */
export const OTHER_WINDOW_MAX_MS = 366 * 24 * 3_600_000;

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
  const parts = typeof cu === 'object' && cu !== null
    ? [(cu as Record<string, unknown>).input_tokens, (cu as Record<string, unknown>).cache_creation_input_tokens, (cu as Record<string, unknown>).cache_read_input_tokens].map((v) => (typeof v === 'number' ? v : 0))
    : null;
  const tokens = parts !== null && parts.every((v) => isFiniteIn(v, 0, Number.MAX_SAFE_INTEGER)) ? parts.reduce((a, b) => a + b, 0) : null;
  const windowSize = contextWindowOrNull(cw?.context_window_size);
  const pct = percentOrNull(cw?.used_percentage) ?? (tokens !== null && windowSize !== null ? (tokens / windowSize) * 100 : null);
  return { tokens, windowSize, pct };
}
