import type { FileDigest } from '../claude/transcript-digest.ts';
import { mergeDigests } from './ledger.ts';
import { countedTokens, type TokenWeights } from './tokens.ts';

/**
 * A session's burn rate is measured over this trailing span (ms): the same 30 minutes, and the same
 * `(now - span, now]` bounds, as the account's burn rate in the quota picture (`quota-status.ts`).
 */
export const SESSION_BURN_SPAN_MS = 30 * 60_000;

/** One session's share of the current 5-hour window and its pace. Measured from its transcripts. */
export interface SessionUsage {
  /**
   * Counted tokens (config weights) of the session's responses timestamped inside the window
   * `[window.startMs, nowMs]`; 0 when no window is open.
   */
  windowTokens: number;
  /** Counted tokens per minute over `(nowMs - 30 min, nowMs]` (tokens/min). */
  burnPerMin: number;
  /** Epoch ms of the session's latest timestamped response, or null when it has none. */
  lastUsageMs: number | null;
  /** Deduplicated responses of the session (all time), and those without a timestamp (never in a window). */
  entries: number;
  untimed: number;
}

/**
 * A session's usage in the window and its burn rate, from the digests of its transcripts (the main
 * file and its subagent files, in that order), deduplicated across them with DESIGN.md's rule
 * (`mergeDigests`: a fork's copied lines or a subagent turn embedded in the parent count once).
 * Responses without a timestamp cannot be placed in time and count in neither figure. Pure.
 *
 * @param digests the session's per-file digests (transcript-cache.ts), main file first
 * @param window the quota picture's current window (epoch ms), or null when none is open
 * @param nowMs the clock (epoch ms); responses after it (clock skew) count in neither figure
 * @param weights how each token kind counts (config `quota.weights`)
 */
export function sessionUsage(digests: readonly FileDigest[], window: { startMs: number } | null, nowMs: number, weights: TokenWeights): SessionUsage {
  let windowTokens = 0;
  let burnTokens = 0;
  let last: number | null = null;
  let untimed = 0;
  const entries = mergeDigests(digests);
  for (const e of entries) {
    if (e.timeMs === null) {
      untimed++;
      continue;
    }
    last = last === null ? e.timeMs : Math.max(last, e.timeMs);
    if (e.timeMs > nowMs) continue;
    const n = countedTokens(e.tokens, weights);
    if (window !== null && e.timeMs >= window.startMs) windowTokens += n;
    if (e.timeMs > nowMs - SESSION_BURN_SPAN_MS) burnTokens += n;
  }
  return { windowTokens, burnPerMin: burnTokens / (SESSION_BURN_SPAN_MS / 60_000), lastUsageMs: last, entries: entries.length, untimed };
}
