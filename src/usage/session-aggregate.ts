import type { ContextReading, FileDigest } from '../claude/transcript-digest.ts';
import { mergeDigests } from './ledger.ts';
import { addTokens, zeroTokens, type TokenCounts } from './tokens.ts';

/** Characters per token used to turn tool input/result sizes into a token estimate. */
export const CHARS_PER_TOKEN = 4;

/** A session's figures, computed from its transcripts' digests. */
export interface SessionAggregate {
  /** Deduplicated usage of the session (measured). */
  tokens: TokenCounts;
  entries: number;
  firstUsageMs: number | null;
  lastUsageMs: number | null;
  /** Per tool: calls (measured) and tokens (estimate: input + result characters / 4). */
  tools: Record<string, { calls: number; tokens: number }>;
  /** The main transcript's context reading (the first digest is the main transcript). */
  context: ContextReading | null;
  model: string | null;
  cwd: string | null;
}

/**
 * Aggregates the digests of one session's transcripts: the main file first, then its subagent files.
 * Usage is deduplicated across them (DESIGN.md rule). Pure.
 */
export function aggregateSession(digests: readonly FileDigest[]): SessionAggregate {
  const entries = mergeDigests(digests);
  const tokens = zeroTokens();
  let first: number | null = null;
  let last: number | null = null;
  for (const e of entries) {
    addTokens(tokens, e.tokens);
    if (e.timeMs !== null) {
      first = first === null ? e.timeMs : Math.min(first, e.timeMs);
      last = last === null ? e.timeMs : Math.max(last, e.timeMs);
    }
  }
  const tools: SessionAggregate['tools'] = {};
  for (const d of digests) {
    for (const [name, t] of Object.entries(d.tools)) {
      const s = (tools[name] ??= { calls: 0, tokens: 0 });
      s.calls += t.calls;
      s.tokens += Math.ceil((t.inputChars + t.resultChars) / CHARS_PER_TOKEN);
    }
  }
  const main = digests[0];
  return {
    tokens, entries: entries.length, firstUsageMs: first, lastUsageMs: last, tools,
    context: main?.context ?? null, model: main?.model ?? null, cwd: main?.cwd ?? null,
  };
}
