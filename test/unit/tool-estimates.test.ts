import { describe, expect, it } from 'vitest';
import type { ToolTally } from '../../src/claude/transcript-digest.ts';
import { ConfigSchema, defaultConfig } from '../../src/config/config.ts';
import {
  averageTokensPerToolCall, DEFAULT_MIN_SAMPLES, learnedTokensPerCall, PRIOR_TOKENS_PER_CALL, priorTokensPerCall, toolEstimate,
  UNKNOWN_TOOL_PRIOR,
} from '../../src/usage/tool-estimates.ts';
import { buildToolsReport } from '../../src/usage/tool-report.ts';
import type { ToolTallies } from '../../src/usage/tool-tally.ts';

const tally = (calls: number, useTokens: number, resultTokens: number, samples: number): ToolTally => ({ calls, useTokens, resultTokens, samples });

describe('prior table', () => {
  it('holds the product\'s figures; Agent shares Task\'s; anything else is 500', () => {
    expect(PRIOR_TOKENS_PER_CALL).toEqual({ Edit: 1_500, Write: 1_200, Read: 800, WebFetch: 1_000, Task: 2_000, Agent: 2_000, Grep: 500, Glob: 400, Bash: 300 });
    expect(priorTokensPerCall('Bash')).toBe(300);
    expect(priorTokensPerCall('Agent')).toBe(2_000);
    expect(UNKNOWN_TOOL_PRIOR).toBe(500);
    expect(priorTokensPerCall('mcp__github__get_issue')).toBe(500);
    expect(priorTokensPerCall('toString')).toBe(500); // not an inherited property
  });
});

describe('toolEstimate: the learned figure replaces the prior after enough samples', () => {
  it('learned = useTokens / calls + resultTokens / samples', () => {
    // 10 calls used 100 tokens of tool_use (10 each); 5 measured results took 1,000 (200 each)
    expect(learnedTokensPerCall(tally(10, 100, 1_000, 5))).toBe(210);
    expect(learnedTokensPerCall(tally(3, 30, 0, 0))).toBeNull();
    expect(learnedTokensPerCall({ calls: 2 })).toBeNull(); // a session record written before v3
  });

  it('keeps the prior below minSamples and switches at it (default 5)', () => {
    expect(DEFAULT_MIN_SAMPLES).toBe(5);
    expect(toolEstimate('Read', tally(10, 100, 1_000, 4))).toEqual({ tokensPerCall: 800, source: 'prior' });
    // 100/10 + 1,000/4 = 260 would be learned, but 4 < 5
    expect(toolEstimate('Read', tally(10, 100, 1_000, 5))).toEqual({ tokensPerCall: 210, source: 'learned (5 calls)' });
    expect(toolEstimate('Read', tally(10, 100, 1_000, 4), 4)).toEqual({ tokensPerCall: 260, source: 'learned (4 calls)' });
    expect(toolEstimate('Unknown', tally(1, 0, 0, 0), 1)).toEqual({ tokensPerCall: 500, source: 'prior' });
  });

  it('rounds the learned figure to whole tokens', () => {
    // 7/3 + 1,001/6 = 2.33 + 166.83 = 169.17
    expect(toolEstimate('Grep', tally(3, 7, 1_001, 6))).toEqual({ tokensPerCall: 169, source: 'learned (6 calls)' });
  });
});

describe('averageTokensPerToolCall', () => {
  it('weights each tool\'s estimate in use by its calls', () => {
    // Read: 3 calls at the prior 800; Bash: 1 call at its learned 40/1 + 600/5 = 160
    const avg = averageTokensPerToolCall({ Read: tally(3, 30, 100, 1), Bash: tally(1, 40, 600, 5) });
    expect(avg).toBe((3 * 800 + 1 * 160) / 4);
    expect(averageTokensPerToolCall({ Read: tally(3, 30, 100, 1) }, 1)).toBe(10 + 100);
    expect(averageTokensPerToolCall({})).toBeNull();
    expect(averageTokensPerToolCall({ Read: tally(0, 0, 0, 0) })).toBeNull();
  });

  it('accepts session stats without the v3 fields (prior only)', () => {
    expect(averageTokensPerToolCall({ Edit: { calls: 2 }, Glob: { calls: 2 } })).toBe((2 * 1_500 + 2 * 400) / 4);
  });
});

describe('config tools.minSamples', () => {
  it('defaults to 5 and rejects 0, fractions and negatives', () => {
    expect(defaultConfig().tools.minSamples).toBe(5);
    expect(ConfigSchema.parse({ tools: { minSamples: 2 } }).tools.minSamples).toBe(2);
    for (const bad of [0, 1.5, -3]) expect(ConfigSchema.safeParse({ tools: { minSamples: bad } }).success).toBe(false);
  });
});

describe('buildToolsReport', () => {
  const tallies: ToolTallies = {
    tools: {
      Read: tally(8, 80, 3_000, 6), // 3,080 tokens; learned 10 + 500 = 510
      Bash: tally(4, 20, 880, 4), // 900 tokens; 4 samples < 5: prior 300; avg 5 + 220 = 225
      Task: tally(2, 20, 0, 0), // 20 tokens; no samples
      mcp__gh__issue: tally(0, 0, 0, 0),
    },
    agentTypes: { Explore: tally(2, 20, 0, 0) },
    mcpServers: { gh: tally(1, 5, 95, 1) },
    unmatchedResults: 3,
    unattributedResults: 1,
  };

  it('gives calls, tokens, shares of all tool tokens, average per call and the estimate in use', () => {
    const r = buildToolsReport(tallies, { scope: 'all sessions', files: 2, minSamples: 5 });
    expect(r.calls).toBe(14);
    expect(r.tokens).toBe(4_000);
    expect(r.tools.map((t) => [t.name, t.tokens, t.share, t.avgPerCall, t.estimate.tokensPerCall, t.estimate.source])).toEqual([
      ['Read', 3_080, 0.77, 510, 510, 'learned (6 calls)'],
      ['Bash', 900, 0.225, 225, 300, 'prior'],
      ['Task', 20, 0.005, null, 2_000, 'prior'],
      ['mcp__gh__issue', 0, 0, null, 500, 'prior'],
    ]);
    expect(r.tools.reduce((n, t) => n + t.share, 0)).toBeCloseTo(1, 12);
    // a subagent type takes Task's prior; an MCP server the unknown-tool prior; shares of all tool tokens
    expect(r.agentTypes).toEqual([{ name: 'Explore', calls: 2, samples: 0, tokens: 20, useTokens: 20, resultTokens: 0, share: 0.005, avgPerCall: null, estimate: { tokensPerCall: 2_000, source: 'prior' } }]);
    expect(r.mcpServers[0]).toMatchObject({ name: 'gh', tokens: 100, share: 0.025, avgPerCall: 100, estimate: { tokensPerCall: 500, source: 'prior' } });
    // (8 * 510 + 4 * 300 + 2 * 2,000 + 0) / 14
    expect(r.avgTokensPerCall).toBeCloseTo((8 * 510 + 4 * 300 + 2 * 2_000) / 14, 9);
    expect(r.avgTokensPerCall).toBeCloseTo(averageTokensPerToolCall(tallies.tools)!, 9);
    expect([r.unmatchedResults, r.unattributedResults, r.files, r.minSamples, r.scope]).toEqual([3, 1, 2, 5, 'all sessions']);
  });

  it('learns the estimates from learnFrom (all transcripts) when showing one session', () => {
    const session: ToolTallies = { tools: { Read: tally(1, 5, 50, 1) }, agentTypes: {}, mcpServers: {}, unmatchedResults: 0, unattributedResults: 0 };
    const r = buildToolsReport(session, { scope: 'session s', files: 1, minSamples: 5, learnFrom: tallies });
    expect(r.tools[0]).toMatchObject({ name: 'Read', tokens: 55, share: 1, avgPerCall: 55, estimate: { tokensPerCall: 510, source: 'learned (6 calls)' } });
    expect(r.avgTokensPerCall).toBe(510);
  });

  it('gives shares of 0 and no average when there are no tokens or calls', () => {
    const r = buildToolsReport({ tools: {}, agentTypes: {}, mcpServers: {}, unmatchedResults: 0, unattributedResults: 0 }, { scope: 'all sessions', files: 0, minSamples: 5 });
    expect(r).toMatchObject({ calls: 0, tokens: 0, avgTokensPerCall: null, tools: [], agentTypes: [], mcpServers: [] });
  });
});
