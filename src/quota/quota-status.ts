import type { OfficialReading } from '../store/schema-official.ts';
import { activeBlock, WINDOW_MS, type UsageBlock } from '../usage/blocks.ts';
import { countedTokens, type TokenCounts, type TokenWeights } from '../usage/tokens.ts';
import type { Budget } from './budget.ts';
import { nextThreshold, quotaLevel, type QuotaLevel } from './levels.ts';
import { currentOfficial, type CurrentOfficial } from './official.ts';
import { weeklyPace, type WeeklyPace } from './weekly-pace.ts';
import type { PerToolCall } from '../usage/per-tool-call.ts';

/** Burn rate is measured over this trailing span (ms). */
export const BURN_SPAN_MS = 30 * 60_000;

/** The quota picture: what the TOKEN QUOTA and SESSION WINDOW sections and the statusline show. */
export interface QuotaStatus {
  plan: string;
  /** Counted tokens per 5 h used for estimates, and where the figure comes from. */
  budget: number;
  budgetSource: string;
  /** The current 5-hour window: official (resets_at - 5 h) when known, else estimated; null when none is open. */
  window: { startMs: number; endMs: number; source: string } | null;
  /** Counted tokens in the window so far (measured from transcripts). */
  used: number;
  /** % of the window used (0-100+), and its source: `official`, `official, N min old[, projected]`, or the budget's estimate. */
  usedPct: number;
  usedPctSource: string;
  /** usedPct / 100. */
  usedFraction: number;
  /** Tokens left before 100 % (estimate: budget x (1 - used fraction)). */
  remaining: number;
  level: QuotaLevel;
  /** Counted tokens per minute over the last 30 min, all sessions (measured). */
  burnPerMin: number;
  /** Minutes until 100 % at the current burn rate; null when idle. */
  runwayMin: number | null;
  /** Tool calls that fit in what remains, at the tokens per tool call below; null when unknown. */
  runwayToolCalls: number | null;
  /** Tokens per tool call (src/usage/per-tool-call.ts: counted tokens / tool calls of the tracked sessions; measured). */
  perToolCall: PerToolCall;
  nextAlertPct: number | null;
  tokensToNextAlert: number | null;
  /** The official 5-hour reading in use, if any. */
  official: CurrentOfficial | null;
  /** The 7-day utilization and its forecast, when Claude Code reported one. */
  weekly: WeeklyPace | null;
}

/** Inputs of `quotaStatus`. Times in epoch ms. */
export interface QuotaInputs {
  plan: string;
  budget: Budget;
  /** Transcript-estimated 5-hour blocks, oldest first (the quota tracker's). */
  blocks: readonly UsageBlock[];
  /** Recent deduplicated usage: [epoch ms, tokens] (the quota tracker's live entries, >= 10 h). */
  recent: readonly (readonly [number, TokenCounts])[];
  /** Official readings captured by the statusline (may be empty). */
  readings: readonly OfficialReading[];
  weights: TokenWeights;
  thresholds: readonly number[];
  /** Tokens per tool call of this user's tracked sessions (tokensPerToolCall). */
  perToolCall: PerToolCall;
  nowMs: number;
}

/**
 * Computes the quota picture at `nowMs`, official first: with a current official `five_hour` reading,
 * its window and utilization (plus the tokens counted since the reading, against the budget, labelled
 * `projected`); without one, the transcript-estimated window against the budget. Pure.
 */
export function quotaStatus(i: QuotaInputs): QuotaStatus {
  const counted = (fromMs: number, toMs: number) => countedBetween(i.recent, i.weights, fromMs, toMs);
  const official = currentOfficial(i.readings, 'five_hour', i.nowMs);
  const budget = i.budget.tokens;
  let window: QuotaStatus['window'];
  let used: number;
  let usedPct: number;
  let usedPctSource: string;
  if (official !== null) {
    window = { startMs: official.resetsAtMs - WINDOW_MS, endMs: official.resetsAtMs, source: 'official' };
    used = counted(window.startMs, i.nowMs);
    const since = counted(official.capturedAtMs + 1, i.nowMs);
    usedPct = official.usedPercentage + (budget > 0 ? (since / budget) * 100 : 0);
    usedPctSource = official.ageMin === 0 && since === 0 ? 'official' : `official, ${official.ageMin} min old${since > 0 ? ', projected' : ''}`;
  } else {
    const block = activeBlock(i.blocks, i.nowMs);
    window = block === null ? null : { startMs: block.startMs, endMs: block.startMs + WINDOW_MS, source: 'estimate, from transcripts' };
    used = block === null ? 0 : countedTokens(block.tokens, i.weights);
    usedPct = budget > 0 ? (used / budget) * 100 : 0;
    usedPctSource = i.budget.source;
  }
  const remaining = Math.max(0, Math.round(budget * (1 - usedPct / 100)));
  const burnPerMin = counted(i.nowMs - BURN_SPAN_MS + 1, i.nowMs) / (BURN_SPAN_MS / 60_000);
  const avg = i.perToolCall.perCall;
  const next = nextThreshold(usedPct, i.thresholds);
  return {
    plan: i.plan,
    budget,
    budgetSource: i.budget.source,
    window,
    used,
    usedPct,
    usedPctSource,
    usedFraction: usedPct / 100,
    remaining,
    level: quotaLevel(usedPct),
    burnPerMin,
    runwayMin: burnPerMin > 0 ? remaining / burnPerMin : null,
    runwayToolCalls: avg !== null && avg > 0 ? Math.floor(remaining / avg) : null,
    perToolCall: i.perToolCall,
    nextAlertPct: next,
    // Float noise (50 - 31.65 is 18.350000000000001) must not add a token: "36,701 tokens away" for 36,700.
    tokensToNextAlert: next === null ? null : Math.max(0, Math.ceil(((next - usedPct) * budget) / 100 - 1e-6)),
    official,
    weekly: weeklyPace(i.readings, i.nowMs),
  };
}

/** Counted tokens of entries with timestamps in [fromMs, toMs]. Pure. */
export function countedBetween(recent: readonly (readonly [number, TokenCounts])[], w: TokenWeights, fromMs: number, toMs: number): number {
  let n = 0;
  for (const [t, tokens] of recent) if (t >= fromMs && t <= toMs) n += countedTokens(tokens, w);
  return n;
}
