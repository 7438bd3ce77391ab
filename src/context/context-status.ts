import type { ContextReading } from '../claude/transcript-digest.ts';
import { nextThreshold } from '../quota/levels.ts';

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
}

/**
 * Context window size for a model id: `[1m]` / `-1m` variants have 1,000,000 tokens; otherwise the
 * configured default (200,000 unless set). Pure.
 */
export function contextWindowFor(model: string | null, fallback: number): { size: number; source: string } {
  if (model !== null && /\[1m\]|(^|[-_])1m($|[-_\]])/i.test(model)) return { size: 1_000_000, source: 'model name (1M variant)' };
  return { size: fallback, source: model === null ? 'default (no model seen yet)' : 'default for model' };
}

/** Computes the CONTEXT WINDOW section from the session's last context reading. Pure. */
export function contextStatus(
  reading: ContextReading | null,
  model: string | null,
  cfg: { usableFraction: number; windowSize: number; thresholds: readonly number[] },
): ContextStatus {
  const w = contextWindowFor(model, cfg.windowSize);
  const usableLimit = Math.round(w.size * cfg.usableFraction);
  const used = reading?.tokens ?? null;
  const frac = used === null ? null : used / usableLimit;
  const level = frac === null ? null : (CONTEXT_LEVELS.find((l) => frac < l.below) ?? CONTEXT_LEVELS.at(-1)!);
  const next = frac === null ? null : nextThreshold(frac * 100, cfg.thresholds);
  return {
    model, windowSize: w.size, windowSource: w.source, usableLimit, used,
    usedSource: reading === null ? 'no response yet' : reading.source === 'usage' ? 'measured (last response)' : 'measured (after compaction)',
    level, nextAlertPct: next,
    tokensToNextAlert: next === null || used === null ? null : Math.max(0, Math.ceil((next / 100) * usableLimit - used)),
  };
}
