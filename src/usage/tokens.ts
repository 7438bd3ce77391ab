/** Token counts of one API response or an aggregate, with the Messages API's own field names. */
export interface TokenCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export const TOKEN_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const satisfies readonly (keyof TokenCounts)[];

/** All four counts at zero. */
export function zeroTokens(): TokenCounts {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/**
 * The ceiling of every token sum (tokens): Number.MAX_SAFE_INTEGER. Each count read from a transcript is
 * a safe integer (usage-record.ts `isTokenCount`), but enough of them could still add up past 2^53, where
 * doubles stop counting exactly (and, far beyond, reach Infinity, which JSON writes as null and a state
 * file's schema refuses). Sums are CLAMPED here, not refused: a figure at the ceiling means "at least
 * this much" (only hostile transcripts get there: it is 90,000 years of a million tokens a second).
 */
export const MAX_TOKENS = Number.MAX_SAFE_INTEGER;

/** `a + b` (tokens) clamped to [0, MAX_TOKENS]; a non-finite result (NaN) is 0. */
export function addCapped(a: number, b: number): number {
  const s = a + b;
  // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; this comparison makes NaN 0
  return s >= MAX_TOKENS ? MAX_TOKENS : s > 0 ? s : 0;
}

/** Adds `b` into `acc` in place (each count clamped to MAX_TOKENS) and returns `acc`. */
export function addTokens(acc: TokenCounts, b: TokenCounts): TokenCounts {
  for (const f of TOKEN_FIELDS) acc[f] = addCapped(acc[f], b[f]);
  return acc;
}

/** Sum of the four counts (clamped to MAX_TOKENS): the size used to pick one copy among streamed duplicates. */
export function totalTokens(t: TokenCounts): number {
  return addCapped(addCapped(t.input_tokens, t.output_tokens), addCapped(t.cache_creation_input_tokens, t.cache_read_input_tokens));
}

/**
 * How many tokens of a response count against a plan's 5-hour budget: a weighted sum (tokens).
 * The product's default counts input + output + cache creation and not cache reads; each weight is
 * configurable in `cco/config.json` (`quota.weights`).
 */
export interface TokenWeights {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export const DEFAULT_WEIGHTS: TokenWeights = { input: 1, output: 1, cacheCreation: 1, cacheRead: 0 };

/** Weighted token count (tokens, rounded to an integer, clamped to [0, MAX_TOKENS]) of `t` under `w`. */
export function countedTokens(t: TokenCounts, w: TokenWeights = DEFAULT_WEIGHTS): number {
  return addCapped(
    0,
    Math.round(
      t.input_tokens * w.input + t.output_tokens * w.output + t.cache_creation_input_tokens * w.cacheCreation + t.cache_read_input_tokens * w.cacheRead,
    ),
  );
}

/** Tokens that fill the context window for one response: input + cache creation + cache read (clamped to MAX_TOKENS). */
export function contextTokens(t: TokenCounts): number {
  return addCapped(addCapped(t.input_tokens, t.cache_creation_input_tokens), t.cache_read_input_tokens);
}
