import { activeBlock, WINDOW_MS, type UsageBlock } from '../usage/blocks.ts';
import { countedTokens, type TokenCounts, type TokenWeights } from '../usage/tokens.ts';
import { nextThreshold, quotaLevel, type QuotaLevel } from './levels.ts';

/** Burn rate is measured over this trailing span (ms). */
export const BURN_SPAN_MS = 30 * 60_000;

/** What the TOKEN QUOTA and SESSION WINDOW sections show. Tokens are counted tokens (weighted); times epoch ms. */
export interface QuotaStatus {
  plan: string;
  /** Counted tokens per 5 h, and where the figure comes from. */
  budget: number;
  budgetSource: string;
  /** The active 5-hour window (estimated from transcripts), or null when none is open. */
  window: { startMs: number; endMs: number; source: string } | null;
  used: number;
  usedFraction: number;
  remaining: number;
  level: QuotaLevel;
  /** Counted tokens per minute over the last 30 min, all sessions (measured). */
  burnPerMin: number;
  /** Minutes until the budget is used at the current burn rate; null when idle. */
  runwayMin: number | null;
  /** Tool calls that fit in what remains, at this user's average tokens per tool call; null when unknown. */
  runwayToolCalls: number | null;
  avgTokensPerToolCall: number | null;
  nextAlertPct: number | null;
  tokensToNextAlert: number | null;
}

/** Inputs of `quotaStatus`. */
export interface QuotaInputs {
  plan: string;
  budget: number;
  /** 5-hour blocks, oldest first (see `buildBlocks` / the quota tracker). */
  blocks: readonly UsageBlock[];
  /** Recent deduplicated usage: [epoch ms, tokens] (the quota tracker's live entries). */
  recent: readonly (readonly [number, TokenCounts])[];
  weights: TokenWeights;
  thresholds: readonly number[];
  /** Counted tokens and tool calls of this user's tracked sessions, for the per-call average. */
  toolCallSample: { tokens: number; calls: number };
  nowMs: number;
}

/**
 * Computes the quota picture at `nowMs` from transcript-derived blocks against a plan budget. Every
 * figure here is an estimate against a preset budget; usage itself is measured. Pure.
 */
export function quotaStatus(i: QuotaInputs): QuotaStatus {
  const block = activeBlock(i.blocks, i.nowMs);
  const used = block === null ? 0 : countedTokens(block.tokens, i.weights);
  const usedFraction = i.budget > 0 ? used / i.budget : 0;
  const remaining = Math.max(0, i.budget - used);
  let burned = 0;
  for (const [t, tokens] of i.recent) if (t > i.nowMs - BURN_SPAN_MS && t <= i.nowMs) burned += countedTokens(tokens, i.weights);
  const burnPerMin = burned / (BURN_SPAN_MS / 60_000);
  const avg = i.toolCallSample.calls > 0 ? i.toolCallSample.tokens / i.toolCallSample.calls : null;
  const next = nextThreshold(usedFraction * 100, i.thresholds);
  return {
    plan: i.plan,
    budget: i.budget,
    budgetSource: 'estimate (plan preset)',
    window: block === null ? null : { startMs: block.startMs, endMs: block.startMs + WINDOW_MS, source: 'estimate (from transcripts)' },
    used, usedFraction, remaining,
    level: quotaLevel(usedFraction * 100),
    burnPerMin,
    runwayMin: burnPerMin > 0 ? remaining / burnPerMin : null,
    runwayToolCalls: avg !== null && avg > 0 ? Math.floor(remaining / avg) : null,
    avgTokensPerToolCall: avg,
    nextAlertPct: next,
    tokensToNextAlert: next === null ? null : Math.max(0, Math.ceil((next / 100) * i.budget - used)),
  };
}
