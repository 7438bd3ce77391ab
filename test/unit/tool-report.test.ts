import { describe, expect, it } from 'vitest';
import type { ToolTally } from '../../src/claude/transcript-digest.ts';
import { renderToolsReport } from '../../src/render/tools.ts';
import { tokensPerToolCall } from '../../src/usage/per-tool-call.ts';
import { buildToolsReport } from '../../src/usage/tool-report.ts';
import type { ToolTallies } from '../../src/usage/tool-tally.ts';

const tally = (calls: number, useTokens: number, resultTokens: number, samples: number): ToolTally => ({ calls, useTokens, resultTokens, samples });
const W = { input: 1, output: 1, cacheCreation: 1, cacheRead: 0 };
const tokens = (input: number, output: number, cc: number, cr: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: cc,
  cache_read_input_tokens: cr,
});

describe('tokensPerToolCall: one figure for the runway and cco tools', () => {
  it('is the counted tokens of the sessions with tool calls over their calls', () => {
    const p = tokensPerToolCall(
      [
        { tokens: tokens(100, 900, 2_000, 50_000), tools: { Read: { calls: 2 }, Bash: { calls: 1 } } }, // 3,000 counted
        { tokens: tokens(10, 90, 900, 0), tools: { Edit: { calls: 1 } } }, // 1,000
        { tokens: tokens(500, 500, 500, 0), tools: {} }, // no calls: not counted
      ],
      W,
    );
    expect(p).toEqual({ tokens: 4_000, calls: 4, perCall: 1_000 });
  });

  it('follows the quota weights, and is null without calls', () => {
    expect(tokensPerToolCall([{ tokens: tokens(0, 0, 0, 1_000), tools: { Read: { calls: 2 } } }], { ...W, cacheRead: 1 }).perCall).toBe(500);
    expect(tokensPerToolCall([], W)).toEqual({ tokens: 0, calls: 0, perCall: null });
  });
});

describe('buildToolsReport', () => {
  const tallies: ToolTallies = {
    tools: {
      Read: tally(8, 80, 3_000, 6), // 3,080 tokens; per call 10 + 500 = 510
      Bash: tally(4, 20, 880, 4), // 900; 5 + 220 = 225
      Task: tally(2, 20, 0, 0), // 20; no samples
      mcp__gh__issue: tally(0, 0, 0, 0),
    },
    agentTypes: { Explore: tally(2, 20, 0, 0) },
    mcpServers: { gh: tally(1, 5, 95, 1) },
    unmatchedResults: 3,
    unattributedResults: 1,
  };
  const perToolCall = { tokens: 28_000, calls: 14, perCall: 2_000 };

  it('gives calls, context tokens, shares of all tool tokens and context per call; passes the per-call figure through', () => {
    const r = buildToolsReport(tallies, { scope: 'all sessions', files: 2, countedTokens: 30_000, perToolCall });
    expect(r.calls).toBe(14);
    expect(r.tokens).toBe(4_000);
    expect(r.tools.map((t) => [t.name, t.tokens, t.share, t.contextPerCall])).toEqual([
      ['Read', 3_080, 0.77, 510],
      ['Bash', 900, 0.225, 225],
      ['Task', 20, 0.005, null],
      ['mcp__gh__issue', 0, 0, null],
    ]);
    expect(r.tools.reduce((n, t) => n + t.share, 0)).toBeCloseTo(1, 12);
    expect(r.agentTypes).toEqual([{ name: 'Explore', calls: 2, samples: 0, tokens: 20, useTokens: 20, resultTokens: 0, share: 0.005, contextPerCall: null }]);
    expect(r.mcpServers[0]).toMatchObject({ name: 'gh', tokens: 100, share: 0.025, contextPerCall: 100 });
    expect(r.perToolCall).toBe(perToolCall);
    expect([r.unmatchedResults, r.unattributedResults, r.files, r.scope, r.countedTokens, r.sessionPerToolCall]).toEqual([
      3,
      1,
      2,
      'all sessions',
      30_000,
      null,
    ]);
  });

  it('renders the per-call figure as the runway states it, and names a context above the counted tokens', () => {
    const within = renderToolsReport(buildToolsReport(tallies, { scope: 'all sessions', files: 2, countedTokens: 30_000, perToolCall }));
    expect(within).toContain('  Tokens per tool call   2,000  (measured: 28,000 counted tokens / 14 tool calls of your sessions; the runway uses it)');
    expect(within).not.toContain('exceeds');
    const above = renderToolsReport(buildToolsReport(tallies, { scope: 'all sessions', files: 2, countedTokens: 3_500, perToolCall }));
    expect(above).toContain("the calls' context exceeds the counted tokens by 500: quota.weights count some of it");
  });

  it('gives shares of 0 when there are no tokens or calls', () => {
    const r = buildToolsReport(
      { tools: {}, agentTypes: {}, mcpServers: {}, unmatchedResults: 0, unattributedResults: 0 },
      { scope: 'all sessions', files: 0, countedTokens: 0, perToolCall: { tokens: 0, calls: 0, perCall: null } },
    );
    expect(r).toMatchObject({ calls: 0, tokens: 0, tools: [], agentTypes: [], mcpServers: [] });
    expect(renderToolsReport(r)).toContain('Tokens per tool call   n/a  (no tool calls in your sessions yet)');
  });
});
