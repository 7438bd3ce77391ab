import type { ContextReading } from '../claude/transcript-digest.ts';
import { nextThreshold } from '../quota/levels.ts';
import type { StatuslineContext } from '../store/schema-official.ts';
import { hoursLeft } from './context-growth.ts';

/** Context levels as fractions of the usable limit, so that a 200k window (180k usable) gives the product's figures. */
export interface ContextLevel {
  name: 'FRESH' | 'HEALTHY' | 'MODERATE' | 'WARNING' | 'DANGER' | 'CRITICAL';
  /** Upper bound (exclusive) as a fraction of the usable limit. */
  below: number;
  recommendation: string;
}

export const CONTEXT_LEVELS: readonly ContextLevel[] = [
  { name: 'FRESH', below: 50 / 180, recommendation: 'Plenty of room: read what you need.' },
  { name: 'HEALTHY', below: 90 / 180, recommendation: 'Healthy: keep file reads targeted.' },
  { name: 'MODERATE', below: 120 / 180, recommendation: 'Consider a focused /compact at the next natural break.' },
  { name: 'WARNING', below: 144 / 180, recommendation: 'Compact soon (/compact-context shows what to drop).' },
  { name: 'DANGER', below: 1, recommendation: 'Compact now, or save a handoff and start fresh.' },
  { name: 'CRITICAL', below: Infinity, recommendation: 'Auto-compaction is imminent: compact now or /save-and-restart.' },
];

/** What the CONTEXT WINDOW section shows. Token figures in tokens. */
export interface ContextStatus {
  model: string | null;
  /** Model's context window (tokens) and where that figure comes from. */
  windowSize: number;
  windowSource: string;
  /** Usable limit: windowSize x usableFraction (tokens). */
  usableLimit: number;
  /** Current fill (tokens), or null before the first response; and its source. */
  used: number | null;
  usedSource: string;
  level: ContextLevel | null;
  /** Next alert threshold (% of usable limit) and the tokens until it. */
  nextAlertPct: number | null;
  tokensToNextAlert: number | null;
  /** Context growth (tokens/hour, estimate from the transcript) and the hours until the usable limit at that pace. */
  growthPerHour: number | null;
  hoursLeft: number | null;
}

/**
 * Context window size for a model id: `[1m]` / `-1m` variants have 1,000,000 tokens; otherwise the
 * configured default (200,000 unless set). Pure.
 */
export function contextWindowFor(model: string | null, fallback: number): { size: number; source: string } {
  if (model !== null && /\[1m\]|(^|[-_])1m($|[-_\]])/i.test(model)) return { size: 1_000_000, source: 'model name (1M variant)' };
  return { size: fallback, source: model === null ? 'default (no model seen yet)' : 'default for model' };
}

/** A statusline reading this recent (ms) is "fresh": it wins over an older transcript reading. */
export const STATUSLINE_FRESH_MS = 2 * 60_000;

/** Optional inputs of `contextStatus`. */
export interface ContextExtras {
  /** What the statusline last saw of this session's context window. */
  statusline?: StatuslineContext | null;
  /** The session's context growth (tokens/hour), for the hours-left estimate. */
  growthPerHour?: number | null;
  nowMs?: number;
}

/**
 * Computes the CONTEXT WINDOW section. Used tokens: the statusline's reading when fresh (2 min) and not
 * older than the transcript's, else the transcript's last main-chain response (or the post-compaction
 * size). Window size: the statusline's `context_window_size` when captured, else from the model name
 * (1M variants), else the configured default. Pure.
 */
export function contextStatus(
  reading: ContextReading | null,
  model: string | null,
  cfg: { usableFraction: number; windowSize: number; thresholds: readonly number[] },
  extras: ContextExtras = {},
): ContextStatus {
  const sl = extras.statusline ?? null;
  const w = sl?.windowSize != null && sl.windowSize > 0
    ? { size: sl.windowSize, source: 'statusline (context_window_size)' }
    : contextWindowFor(model ?? sl?.model ?? null, cfg.windowSize);
  const usableLimit = Math.round(w.size * cfg.usableFraction);
  let used = reading?.tokens ?? null;
  let usedSource = reading === null ? 'no response yet' : reading.source === 'usage' ? 'measured (last response)' : 'measured (after compaction)';
  if (sl !== null && extras.nowMs !== undefined) {
    const captured = Date.parse(sl.capturedAt);
    const slTokens = sl.usedTokens ?? (sl.usedPercentage === null ? null : Math.round((sl.usedPercentage / 100) * w.size));
    const fresh = extras.nowMs - captured <= STATUSLINE_FRESH_MS;
    if (slTokens !== null && fresh && (reading === null || reading.timeMs === null || captured >= reading.timeMs)) {
      used = slTokens;
      usedSource = 'statusline (context_window)';
    }
  }
  const frac = used === null ? null : used / usableLimit;
  const level = frac === null ? null : (CONTEXT_LEVELS.find((l) => frac < l.below) ?? CONTEXT_LEVELS.at(-1)!);
  const next = frac === null ? null : nextThreshold(frac * 100, cfg.thresholds);
  const growth = extras.growthPerHour ?? null;
  return {
    model: model ?? sl?.model ?? null, windowSize: w.size, windowSource: w.source, usableLimit, used, usedSource,
    level, nextAlertPct: next,
    tokensToNextAlert: next === null || used === null ? null : Math.max(0, Math.ceil((next / 100) * usableLimit - used)),
    growthPerHour: growth,
    hoursLeft: used === null ? null : hoursLeft(used, usableLimit, growth),
  };
}
