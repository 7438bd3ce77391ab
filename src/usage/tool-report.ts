import type { ToolTally } from '../claude/transcript-digest.ts';
import type { PerToolCall } from './per-tool-call.ts';
import type { ToolTallies } from './tool-tally.ts';

/**
 * One row of the `cco tools` tables: a tool, a subagent type or an MCP server. Calls are measured; the
 * token figures are the context the calls added (estimate, see src/claude/transcript-digest.ts): the
 * calls' own tool_use blocks plus their results' share of the new tokens of the next request.
 */
export interface ToolRow {
  name: string;
  /** Tool calls seen (measured). */
  calls: number;
  /** Calls whose result tokens were measured from the next request (measured). */
  samples: number;
  /** useTokens + resultTokens (context tokens, estimate). */
  tokens: number;
  useTokens: number;
  resultTokens: number;
  /** `tokens` / all tools' tokens (fraction in [0, 1]; 0 when no tool has tokens). */
  share: number;
  /** Context added per call: `useTokens / calls + resultTokens / samples`, rounded; null without samples. */
  contextPerCall: number | null;
}

/** What `cco tools` reports. JSON-serializable (`--json` prints it as is). */
export interface ToolsReport {
  /** `all sessions`, or `session <id>`. */
  scope: string;
  /** Transcript files aggregated. */
  files: number;
  /** Sum over tools: calls (measured) and context tokens attributed to them (estimate). */
  calls: number;
  tokens: number;
  /** Counted tokens (the quota's weights) of the sessions in scope (measured). */
  countedTokens: number;
  /**
   * Tokens per tool call, the figure the runway uses (src/usage/per-tool-call.ts): of all sessions, and
   * of the session in scope (null for `all sessions`).
   */
  perToolCall: PerToolCall;
  sessionPerToolCall: PerToolCall | null;
  /** Tools by tokens, most first (then calls, then name). */
  tools: ToolRow[];
  /** Task/Agent calls by `subagent_type`. */
  agentTypes: ToolRow[];
  /** MCP tool calls by server. */
  mcpServers: ToolRow[];
  /** tool_results whose tool_use was not in the same file, and matched results that could not be measured. */
  unmatchedResults: number;
  unattributedResults: number;
}

/** Inputs of `buildToolsReport` beyond the tallies. */
export interface ToolsReportInputs {
  scope: string;
  files: number;
  countedTokens: number;
  perToolCall: PerToolCall;
  sessionPerToolCall?: PerToolCall | null;
}

/**
 * Builds the `cco tools` report from summed tallies. Shares of every table are shares of all tools'
 * context tokens (so the tool table's shares add up to 100 %, give or take rounding in the display). Pure.
 */
export function buildToolsReport(t: ToolTallies, i: ToolsReportInputs): ToolsReport {
  const tokens = sum(Object.values(t.tools), (x) => x.useTokens + x.resultTokens);
  const rows = (r: Record<string, ToolTally>) =>
    Object.entries(r)
      .map(([name, x]) => row(name, x, tokens))
      .sort((a, b) => b.tokens - a.tokens || b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tools = rows(t.tools);
  return {
    scope: i.scope,
    files: i.files,
    calls: sum(tools, (x) => x.calls),
    tokens,
    countedTokens: i.countedTokens,
    perToolCall: i.perToolCall,
    sessionPerToolCall: i.sessionPerToolCall ?? null,
    tools,
    agentTypes: rows(t.agentTypes),
    mcpServers: rows(t.mcpServers),
    unmatchedResults: t.unmatchedResults,
    unattributedResults: t.unattributedResults,
  };
}

/**
 * The context tokens of a tally per call: the mean tool_use tokens over all calls plus the mean result
 * tokens over the calls whose result was measured. Unrounded; null when no result was measured.
 */
export function contextPerCall(t: ToolTally): number | null {
  if (t.samples <= 0 || t.calls <= 0) return null;
  return t.useTokens / t.calls + t.resultTokens / t.samples;
}

function row(name: string, x: ToolTally, allTokens: number): ToolRow {
  const tokens = x.useTokens + x.resultTokens;
  const per = contextPerCall(x);
  return {
    name,
    calls: x.calls,
    samples: x.samples,
    tokens,
    useTokens: x.useTokens,
    resultTokens: x.resultTokens,
    share: allTokens > 0 ? tokens / allTokens : 0,
    contextPerCall: per === null ? null : Math.round(per),
  };
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((n, x) => n + f(x), 0);
}
