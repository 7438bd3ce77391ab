/**
 * Tokens per tool call: the product's prior table, replaced per tool by what the transcripts teach once
 * a tool has enough measured samples. Pure.
 */

/**
 * The product's prior (tokens per call, estimate), used until a tool has `minSamples` learned samples.
 * `Agent` is the later name of the `Task` tool and shares its figure.
 */
export const PRIOR_TOKENS_PER_CALL: Readonly<Record<string, number>> = {
  Edit: 1_500, Write: 1_200, Read: 800, WebFetch: 1_000, Task: 2_000, Agent: 2_000, Grep: 500, Glob: 400, Bash: 300,
};

/** Prior (tokens per call) of a tool that is not in the table: MCP tools, TodoWrite, MultiEdit, ... */
export const UNKNOWN_TOOL_PRIOR = 500;

/** Learned samples a tool needs before its learned figure replaces the prior (config `tools.minSamples`). */
export const DEFAULT_MIN_SAMPLES = 5;

/** What the estimates read from a tally; missing fields count as 0 (session records written before v3). */
export interface TallyLike {
  calls: number;
  useTokens?: number;
  resultTokens?: number;
  samples?: number;
}

/** The per-call figure in use for one tool (tokens) and where it comes from. */
export interface ToolEstimate {
  tokensPerCall: number;
  source: 'prior' | `learned (${number} calls)`;
}

/** The prior of a tool name (tokens per call): its table entry, else UNKNOWN_TOOL_PRIOR. */
export function priorTokensPerCall(name: string): number {
  return Object.hasOwn(PRIOR_TOKENS_PER_CALL, name) ? PRIOR_TOKENS_PER_CALL[name]! : UNKNOWN_TOOL_PRIOR;
}

/**
 * The learned tokens per call of a tally: the mean tool_use tokens over all calls plus the mean result
 * tokens over the calls whose result was measured (`useTokens / calls + resultTokens / samples`).
 * Unrounded; null when no call's result was measured (or there are no calls).
 */
export function learnedTokensPerCall(t: TallyLike): number | null {
  const samples = t.samples ?? 0;
  if (samples <= 0 || t.calls <= 0) return null;
  return (t.useTokens ?? 0) / t.calls + (t.resultTokens ?? 0) / samples;
}

/**
 * The estimate in use for one tool: the learned figure (rounded to whole tokens, source
 * `learned (N calls)`, N = samples) once `samples >= minSamples`, else the prior of `name` (source `prior`).
 *
 * @param name tool name whose prior applies (`Task` for a subagent type; an MCP tool name for a server)
 * @param minSamples >= 1; config `tools.minSamples` (default 5)
 */
export function toolEstimate(name: string, t: TallyLike, minSamples = DEFAULT_MIN_SAMPLES): ToolEstimate {
  const samples = t.samples ?? 0;
  const learned = learnedTokensPerCall(t);
  if (learned !== null && samples >= minSamples) return { tokensPerCall: Math.round(learned), source: `learned (${samples} calls)` };
  return { tokensPerCall: priorTokensPerCall(name), source: 'prior' };
}

/**
 * The average tokens per tool call (estimate) over tallies by tool name: each tool's estimate in use
 * (`toolEstimate`) weighted by its calls. For the runway line ("~N tool calls left at X tokens/call").
 *
 * @returns tokens per call, unrounded; null when there are no calls
 */
export function averageTokensPerToolCall(tallies: Readonly<Record<string, TallyLike>>, minSamples = DEFAULT_MIN_SAMPLES): number | null {
  let calls = 0;
  let tokens = 0;
  for (const [name, t] of Object.entries(tallies)) {
    if (t.calls <= 0) continue;
    calls += t.calls;
    tokens += t.calls * toolEstimate(name, t, minSamples).tokensPerCall;
  }
  return calls > 0 ? tokens / calls : null;
}
