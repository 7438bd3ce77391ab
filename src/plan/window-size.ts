import { fmtInt } from '../render/format.ts';
import type { Budget } from '../quota/budget.ts';

/**
 * Is a session too big for one 5-hour window? The one rule behind `cco plan add|import` (refused),
 * `/start-next-session` (never fits: split it) and `schedule --all` (not scheduled: split it). Pure.
 * Tokens are counted tokens; a window share is a fraction of one window (1 = a whole window).
 */

/** True when `tokens` (counted) exceed the `budget` of one whole window (counted tokens): it can never fit. */
export function exceedsWindow(tokens: number, budget: number): boolean {
  return tokens > budget;
}

/** A session's estimate: counted tokens, or a share of one window (exactly one of them is non-null). */
export interface Estimate {
  title: string;
  tokens: number | null;
  windowShare: number | null;
}

/**
 * Why `e` cannot be planned as one session, or null when it fits one window: more tokens than the budget,
 * or a share above 1 (100 %). The text names the figures and the budget's source, e.g.
 * `"Big" is larger than one 5-hour window (500,000 tokens of a 200,000-token budget, estimate, pro preset); split it into parts`.
 * @param budget the budget of one window in counted tokens and where it comes from (`estimate, pro preset`, ...)
 */
export function oversizeProblem(e: Estimate, budget: Budget): string | null {
  const of = `of a ${fmtInt(budget.tokens)}-token budget, ${budget.source}`;
  let figures: string;
  if (e.windowShare !== null && e.tokens === null) {
    if (!(e.windowShare > 1)) return null;
    figures = `${Number((e.windowShare * 100).toFixed(1))}% of a window = ${fmtInt(Math.round(e.windowShare * budget.tokens))} tokens ${of}`;
  } else {
    if (e.tokens === null || !exceedsWindow(e.tokens, budget.tokens)) return null;
    figures = `${fmtInt(e.tokens)} tokens ${of}`;
  }
  return `"${e.title.trim()}" is larger than one 5-hour window (${figures}); split it into parts`;
}
