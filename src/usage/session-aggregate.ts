import type { ContextReading, FileDigest, ToolTally } from '../claude/transcript-digest.ts';
import { contextGrowthPerHour } from './context-growth.ts';
import { mergeDigests } from './ledger.ts';
import { mergeToolTallies } from './tool-tally.ts';
import { addTokens, zeroTokens, type TokenCounts } from './tokens.ts';

/**
 * One tool's (or group's) figures in a session: `calls` (measured), `tokens` = useTokens + resultTokens
 * (estimate, tokens), and the tally they come from (`samples`: calls whose result tokens are known).
 */
export type SessionToolStat = {
  calls: number;
  tokens: number;
  useTokens: number;
  resultTokens: number;
  samples: number;
};

/** A session's figures, computed from its transcripts' digests. */
export interface SessionAggregate {
  /** Deduplicated usage of the session (measured). */
  tokens: TokenCounts;
  entries: number;
  firstUsageMs: number | null;
  lastUsageMs: number | null;
  /** Per tool name, over the main transcript and its subagent files. */
  tools: Record<string, SessionToolStat>;
  /** Task/Agent calls by subagent type. */
  agentTypes: Record<string, SessionToolStat>;
  /** MCP tool calls by server. */
  mcpServers: Record<string, SessionToolStat>;
  /** The main transcript's context reading (the first digest is the main transcript). */
  context: ContextReading | null;
  /** Compactions of the main transcript (the context segment number) and its context growth (tokens/hour; estimate). */
  compactions: number;
  contextGrowthPerHour: number | null;
  model: string | null;
  cwd: string | null;
}

/**
 * Aggregates the digests of one session's transcripts: the main file first, then its subagent files.
 * Usage is deduplicated across them (DESIGN.md rule); tool tallies are summed (each file tallies its
 * own calls). Pure.
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
  const t = mergeToolTallies(digests);
  const main = digests[0];
  return {
    tokens,
    entries: entries.length,
    firstUsageMs: first,
    lastUsageMs: last,
    tools: toStats(t.tools),
    agentTypes: toStats(t.agentTypes),
    mcpServers: toStats(t.mcpServers),
    context: main?.context ?? null,
    model: main?.model ?? null,
    cwd: main?.cwd ?? null,
    compactions: main?.compactions ?? 0,
    contextGrowthPerHour: contextGrowthPerHour(main?.contextSeries ?? []),
  };
}

/** A tally as a session stat: `tokens` = useTokens + resultTokens. Pure. */
function toolStatOf(t: ToolTally): SessionToolStat {
  return { calls: t.calls, tokens: t.useTokens + t.resultTokens, useTokens: t.useTokens, resultTokens: t.resultTokens, samples: t.samples };
}

function toStats(r: Record<string, ToolTally>): Record<string, SessionToolStat> {
  const out: Record<string, SessionToolStat> = {};
  for (const [k, v] of Object.entries(r)) out[k] = toolStatOf(v);
  return out;
}
