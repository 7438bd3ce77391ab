import { describe, expect, it } from 'vitest';
import { emptyDigest, type FileDigest } from '../../src/claude/transcript-digest.ts';
import { aggregateSession } from '../../src/usage/session-aggregate.ts';

const T = Date.UTC(2025, 8, 3, 9, 0, 0);

describe('aggregateSession', () => {
  it('gives zeros and nulls for no digests', () => {
    expect(aggregateSession([])).toEqual({
      tokens: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      entries: 0,
      firstUsageMs: null,
      lastUsageMs: null,
      tools: {},
      agentTypes: {},
      mcpServers: {},
      context: null,
      model: null,
      cwd: null,
      compactions: 0,
      contextGrowthPerHour: null,
    });
  });

  it('deduplicates usage across the main transcript and its subagent files, and sums tool tallies', () => {
    const main: FileDigest = {
      ...emptyDigest(),
      entries: [
        ['a', 'S', T + 1000, 'opus', 10, 1, 0, 0],
        ['b', 'S', T + 5000, 'opus', 20, 2, 0, 0],
      ],
      loose: [[null, 'S', null, 'opus', 1, 0, 0, 0]],
      tools: {
        Read: { calls: 2, useTokens: 10, resultTokens: 30, samples: 1 },
        Bash: { calls: 1, useTokens: 4, resultTokens: 4, samples: 1 },
        Task: { calls: 1, useTokens: 50, resultTokens: 500, samples: 1 },
      },
      agentTypes: { Explore: { calls: 1, useTokens: 50, resultTokens: 500, samples: 1 } },
      context: { tokens: 12_000, timeMs: T + 5000, source: 'usage' },
      model: 'opus',
      cwd: '/proj',
      sessionId: 'S',
    };
    const sub: FileDigest = {
      ...emptyDigest(),
      // 'b' again, larger (a copy also in the subagent file), and one of its own
      entries: [
        ['b', 'S', T + 5000, 'opus', 20, 9, 0, 0],
        ['c', 'S', T - 2000, 'haiku', 0, 0, 100, 1000],
      ],
      tools: { Read: { calls: 1, useTokens: 1, resultTokens: 0, samples: 0 }, mcp__gh__issue: { calls: 2, useTokens: 6, resultTokens: 7, samples: 2 } },
      mcpServers: { gh: { calls: 2, useTokens: 6, resultTokens: 7, samples: 2 } },
      context: { tokens: 99, timeMs: T + 9000, source: 'usage' },
      model: 'haiku',
      cwd: '/elsewhere',
    };
    const a = aggregateSession([main, sub]);
    // a(10,1) + b largest (20,9) + loose (1,0) + c (0,0,100,1000)
    expect(a.tokens).toEqual({ input_tokens: 31, output_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 });
    expect(a.entries).toBe(4);
    expect(a.firstUsageMs).toBe(T - 2000);
    expect(a.lastUsageMs).toBe(T + 5000);
    // summed over both files; tokens = useTokens + resultTokens: Read 11 + 30, Bash 4 + 4
    expect(a.tools).toEqual({
      Read: { calls: 3, tokens: 41, useTokens: 11, resultTokens: 30, samples: 1 },
      Bash: { calls: 1, tokens: 8, useTokens: 4, resultTokens: 4, samples: 1 },
      Task: { calls: 1, tokens: 550, useTokens: 50, resultTokens: 500, samples: 1 },
      mcp__gh__issue: { calls: 2, tokens: 13, useTokens: 6, resultTokens: 7, samples: 2 },
    });
    expect(a.agentTypes).toEqual({ Explore: { calls: 1, tokens: 550, useTokens: 50, resultTokens: 500, samples: 1 } });
    expect(a.mcpServers).toEqual({ gh: { calls: 2, tokens: 13, useTokens: 6, resultTokens: 7, samples: 2 } });
    // context, model and cwd come from the first (main) digest only
    expect(a.context).toEqual({ tokens: 12_000, timeMs: T + 5000, source: 'usage' });
    expect(a.model).toBe('opus');
    expect(a.cwd).toBe('/proj');
  });

  it('ignores entries without time for first/last usage', () => {
    const d: FileDigest = { ...emptyDigest(), loose: [[null, null, null, '', 5, 0, 0, 0]] };
    const a = aggregateSession([d]);
    expect(a.entries).toBe(1);
    expect(a.tokens.input_tokens).toBe(5);
    expect(a.firstUsageMs).toBeNull();
    expect(a.lastUsageMs).toBeNull();
  });
});
