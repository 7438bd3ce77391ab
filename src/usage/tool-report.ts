import type { ToolTally } from '../claude/transcript-digest.ts';
import { learnedTokensPerCall, toolEstimate, type ToolEstimate } from './tool-estimates.ts';
import type { ToolTallies } from './tool-tally.ts';

/** One row of the `cco tools` tables: a tool, a subagent type or an MCP server. */
export interface ToolRow {
  name: string;
  /** Tool calls seen (measured). */
  calls: number;
  /** Calls whose result tokens were measured from the next request (measured). */
  samples: number;
  /** useTokens + resultTokens (tokens, estimate): what the transcripts attribute to these calls. */
  tokens: number;
  useTokens: number;
  resultTokens: number;
  /** `tokens` / all tools' tokens (fraction in [0, 1]; 0 when no tool has tokens). */
  share: number;
  /** Learned tokens per call (`useTokens / calls + resultTokens / samples`, rounded); null without samples. */
  avgPerCall: number | null;
  /** The per-call figure in use and its source (`learned (N calls)` or `prior`). */
  estimate: ToolEstimate;
}

/** What `cco tools` reports. JSON-serializable (`--json` prints it as is). */
export interface ToolsReport {
  /** `all sessions`, or `session <id>`. */
  scope: string;
  /** Transcript files aggregated. */
  files: number;
  /** Samples a tool needs before its learned figure is used (config `tools.minSamples`). */
  minSamples: number;
  /** Sum over tools: calls (measured) and tokens (estimate). */
  calls: number;
  tokens: number;
  /** Tokens per tool call over the tools shown, each at its estimate in use, weighted by its calls shown; null without calls. */
  avgTokensPerCall: number | null;
  /** Tools by tokens, most first (then calls, then name). */
  tools: ToolRow[];
  /** Task/Agent calls by `subagent_type` (prior: the Task figure). */
  agentTypes: ToolRow[];
  /** MCP tool calls by server (prior: the unknown-tool figure). */
  mcpServers: ToolRow[];
  /** tool_results whose tool_use was not in the same file, and matched results that could not be measured. */
  unmatchedResults: number;
  unattributedResults: number;
}

/**
 * Builds the `cco tools` report from summed tallies. Shares of every table are shares of all tools'
 * tokens (so the tool table's shares add up to 100 %, give or take rounding in the display). Pure.
 *
 * @param t the tallies shown (one session's, or all)
 * @param opts.minSamples >= 1, config `tools.minSamples`
 * @param opts.learnFrom the tallies the estimates in use are learned from (default `t`): all transcripts,
 *   so that a one-session report shows the same per-call figures as the account-wide one
 */
export function buildToolsReport(t: ToolTallies, opts: { scope: string; files: number; minSamples: number; learnFrom?: ToolTallies }): ToolsReport {
  const tokens = sum(Object.values(t.tools), (x) => x.useTokens + x.resultTokens);
  const learn = opts.learnFrom ?? t;
  const rows = (r: Record<string, ToolTally>, from: Record<string, ToolTally>, priorOf: (name: string) => string) =>
    Object.entries(r)
      .map(([name, x]) => row(name, x, tokens, toolEstimate(priorOf(name), from[name] ?? x, opts.minSamples)))
      .sort((a, b) => b.tokens - a.tokens || b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tools = rows(t.tools, learn.tools, (n) => n);
  const calls = sum(tools, (x) => x.calls);
  return {
    scope: opts.scope,
    files: opts.files,
    minSamples: opts.minSamples,
    calls,
    tokens,
    // = averageTokensPerToolCall(t.tools) when the estimates are learned from `t` itself
    avgTokensPerCall: calls > 0 ? sum(tools, (x) => x.calls * x.estimate.tokensPerCall) / calls : null,
    tools,
    agentTypes: rows(t.agentTypes, learn.agentTypes, () => 'Task'),
    mcpServers: rows(t.mcpServers, learn.mcpServers, (server) => `mcp__${server}`),
    unmatchedResults: t.unmatchedResults,
    unattributedResults: t.unattributedResults,
  };
}

function row(name: string, x: ToolTally, allTokens: number, estimate: ToolEstimate): ToolRow {
  const tokens = x.useTokens + x.resultTokens;
  const learned = learnedTokensPerCall(x);
  return {
    name, calls: x.calls, samples: x.samples, tokens, useTokens: x.useTokens, resultTokens: x.resultTokens,
    share: allTokens > 0 ? tokens / allTokens : 0,
    avgPerCall: learned === null ? null : Math.round(learned),
    estimate,
  };
}

function sum<T>(xs: readonly T[], f: (x: T) => number): number {
  return xs.reduce((n, x) => n + f(x), 0);
}
