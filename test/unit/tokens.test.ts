import { describe, expect, it } from 'vitest';
import {
  addCapped,
  addTokens,
  contextTokens,
  MAX_TOKENS,
  countedTokens,
  DEFAULT_WEIGHTS,
  TOKEN_FIELDS,
  totalTokens,
  zeroTokens,
  type TokenCounts,
} from '../../src/usage/tokens.ts';

const t: TokenCounts = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 3_000, cache_read_input_tokens: 40_000 };

describe('tokens', () => {
  it('zeroTokens gives a fresh all-zero object each time', () => {
    const a = zeroTokens();
    expect(a).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    a.input_tokens = 5;
    expect(zeroTokens().input_tokens).toBe(0);
  });

  it('TOKEN_FIELDS lists the four API field names', () => {
    expect([...TOKEN_FIELDS].sort()).toEqual(['cache_creation_input_tokens', 'cache_read_input_tokens', 'input_tokens', 'output_tokens']);
  });

  it('addTokens adds in place and returns the accumulator', () => {
    const acc = { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 };
    const r = addTokens(acc, t);
    expect(r).toBe(acc);
    expect(acc).toEqual({ input_tokens: 101, output_tokens: 22, cache_creation_input_tokens: 3_003, cache_read_input_tokens: 40_004 });
    expect(t.input_tokens).toBe(100);
  });

  it('totalTokens sums all four', () => {
    expect(totalTokens(t)).toBe(43_120);
  });

  it('countedTokens by default counts input + output + cache creation, not cache reads', () => {
    expect(DEFAULT_WEIGHTS).toEqual({ input: 1, output: 1, cacheCreation: 1, cacheRead: 0 });
    expect(countedTokens(t)).toBe(100 + 20 + 3_000);
  });

  it('countedTokens applies each weight to its own field', () => {
    expect(countedTokens(t, { input: 1, output: 0, cacheCreation: 0, cacheRead: 0 })).toBe(100);
    expect(countedTokens(t, { input: 0, output: 1, cacheCreation: 0, cacheRead: 0 })).toBe(20);
    expect(countedTokens(t, { input: 0, output: 0, cacheCreation: 1, cacheRead: 0 })).toBe(3_000);
    expect(countedTokens(t, { input: 0, output: 0, cacheCreation: 0, cacheRead: 1 })).toBe(40_000);
    // 100*2 + 20*5 + 3000*1.25 + 40000*0.1 = 200 + 100 + 3750 + 4000
    expect(countedTokens(t, { input: 2, output: 5, cacheCreation: 1.25, cacheRead: 0.1 })).toBe(8_050);
  });

  it('countedTokens rounds to an integer', () => {
    const one = { input_tokens: 1, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 3 };
    // 1*1 + 3*0.1 = 1.3 -> 1 ; 1*1 + 3*0.5 = 2.5 -> 3 (Math.round)
    expect(countedTokens(one, { input: 1, output: 1, cacheCreation: 1, cacheRead: 0.1 })).toBe(1);
    expect(countedTokens(one, { input: 1, output: 1, cacheCreation: 1, cacheRead: 0.5 })).toBe(3);
  });

  it('contextTokens counts input + cache creation + cache read, not output', () => {
    expect(contextTokens(t)).toBe(100 + 3_000 + 40_000);
  });
});

describe('token sums clamp at Number.MAX_SAFE_INTEGER', () => {
  const big: TokenCounts = {
    input_tokens: MAX_TOKENS,
    output_tokens: MAX_TOKENS,
    cache_creation_input_tokens: MAX_TOKENS,
    cache_read_input_tokens: MAX_TOKENS,
  };

  it('addCapped stays in [0, MAX_TOKENS] and is exact below the ceiling', () => {
    expect(MAX_TOKENS).toBe(Number.MAX_SAFE_INTEGER);
    expect(addCapped(MAX_TOKENS, 1)).toBe(MAX_TOKENS);
    expect(addCapped(MAX_TOKENS - 10, 4)).toBe(MAX_TOKENS - 6);
    expect(addCapped(5, -9)).toBe(0);
    expect(addCapped(Number.NaN, 1)).toBe(0);
  });

  it('addTokens, totalTokens, contextTokens and countedTokens never pass it', () => {
    const acc = addTokens(addTokens(zeroTokens(), big), big);
    for (const f of TOKEN_FIELDS) expect(acc[f]).toBe(MAX_TOKENS);
    expect(totalTokens(big)).toBe(MAX_TOKENS);
    expect(contextTokens(big)).toBe(MAX_TOKENS);
    expect(countedTokens(big, { input: 3, output: 3, cacheCreation: 3, cacheRead: 3 })).toBe(MAX_TOKENS);
    expect(JSON.parse(JSON.stringify(acc))).toEqual(acc);
  });
});
