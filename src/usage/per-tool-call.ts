import { countedTokens, type TokenCounts, type TokenWeights } from './tokens.ts';

/**
 * Tokens per tool call: the one figure cco gives for "what a tool call costs", used by the runway
 * (/session-status) and by `cco tools` alike.
 *
 * Definition: the counted tokens (the quota's weights) of the sessions that made tool calls, divided by
 * their tool calls. A tool call costs a model request that asks for it and the next one that reads its
 * result, with the context each re-sends, so this is what the 5-hour window pays per call on average;
 * both figures are measured from the transcripts (deduplicated usage; tool_use blocks).
 */
export interface PerToolCall {
  /** Counted tokens of the sessions with tool calls (tokens). */
  tokens: number;
  /** Their tool calls. */
  calls: number;
  /** tokens / calls, unrounded; null without calls. */
  perCall: number | null;
}

/** What `tokensPerToolCall` reads of a session (a session-tracker.json record has it). */
export interface SessionCalls {
  tokens: TokenCounts;
  tools: Readonly<Record<string, { calls: number }>>;
}

/** Tokens per tool call over `sessions` (see PerToolCall). Pure. */
export function tokensPerToolCall(sessions: Iterable<SessionCalls>, w: TokenWeights): PerToolCall {
  let tokens = 0;
  let calls = 0;
  for (const s of sessions) {
    const n = Object.values(s.tools).reduce((k, t) => k + t.calls, 0);
    if (n <= 0) continue;
    calls += n;
    tokens += countedTokens(s.tokens, w);
  }
  return { tokens, calls, perCall: calls > 0 ? tokens / calls : null };
}
