import { tallyIn, type FileDigest, type ToolTally } from '../claude/transcript-digest.ts';

/** Tool tallies of several transcripts, summed: by tool name, by subagent type, by MCP server. */
export interface ToolTallies {
  tools: Record<string, ToolTally>;
  agentTypes: Record<string, ToolTally>;
  mcpServers: Record<string, ToolTally>;
  /** tool_results whose tool_use was not in the same file (skipped), summed over the digests. */
  unmatchedResults: number;
  /** Matched tool_results whose tokens could not be measured (see FileDigest), summed. */
  unattributedResults: number;
}

/** Adds `b` into `acc` in place (every field) and returns `acc`. */
function addTally(acc: ToolTally, b: ToolTally): ToolTally {
  acc.calls += b.calls;
  acc.useTokens += b.useTokens;
  acc.resultTokens += b.resultTokens;
  acc.samples += b.samples;
  return acc;
}

/**
 * Sums the tool tallies of transcript digests (a session's main file and its subagent files, or every
 * transcript). Each file's tallies cover only its own tool calls, so summing never counts a call twice
 * unless a file copies another's records (`--fork-session`); calls are not deduplicated across files.
 * Pure; the inputs are not changed.
 */
export function mergeToolTallies(digests: Iterable<FileDigest>): ToolTallies {
  const out: ToolTallies = { tools: {}, agentTypes: {}, mcpServers: {}, unmatchedResults: 0, unattributedResults: 0 };
  for (const d of digests) {
    addAll(out.tools, d.tools);
    addAll(out.agentTypes, d.agentTypes);
    addAll(out.mcpServers, d.mcpServers);
    out.unmatchedResults += d.unmatchedResults;
    out.unattributedResults += d.unattributedResults;
  }
  return out;
}

function addAll(acc: Record<string, ToolTally>, from: Readonly<Record<string, ToolTally>>): void {
  for (const [name, t] of Object.entries(from)) addTally(tallyIn(acc, name), t);
}
