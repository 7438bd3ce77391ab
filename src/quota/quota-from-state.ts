import { planName, type Config } from '../config/config.ts';
import type { QuotaTracker, SessionTracker } from '../store/schemas.ts';
import { countedTokens, type TokenCounts } from '../usage/tokens.ts';
import { fromStored } from '../usage/window-ledger.ts';
import { tokensPerToolCall } from '../usage/per-tool-call.ts';
import { resolveBudget } from './budget.ts';
import { quotaStatus, type QuotaStatus } from './quota-status.ts';

/** The quota tracker's live entries as [epoch ms, tokens]. Pure. */
export function recentEntries(q: QuotaTracker): [number, TokenCounts][] {
  return Object.values(q.seen).map((v) => [
    v[0],
    { input_tokens: v[1], output_tokens: v[2], cache_creation_input_tokens: v[3], cache_read_input_tokens: v[4] },
  ]);
}

/**
 * The quota picture from the state files and config at `nowMs`: budget resolved (calibrated, custom,
 * p90 or preset), official readings first, the tokens per tool call of the tracked sessions. Pure.
 */
export function quotaFromState(q: QuotaTracker, sessions: SessionTracker | null, cfg: Config, nowMs: number): QuotaStatus {
  const w = cfg.quota.weights;
  const completed = q.blocks.filter((b) => b.final).map((b) => countedTokens(b.tokens, w));
  return quotaStatus({
    plan: planName(cfg),
    budget: resolveBudget(cfg, q.calibration, completed),
    blocks: q.blocks.map(fromStored),
    recent: recentEntries(q),
    readings: q.readings,
    weights: w,
    thresholds: cfg.quota.thresholds,
    perToolCall: tokensPerToolCall(Object.values(sessions?.sessions ?? {}), w),
    nowMs,
  });
}
