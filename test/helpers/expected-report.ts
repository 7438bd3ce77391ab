// The shape of the hand-written expectations beside each generated transcript case
// (test/fixtures/transcripts/<case>/expected.ts): what `cco report --json` must print for that config dir.

/** Token counts as the report prints them (integers >= 0). */
export interface Tokens {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** One 5-hour block: `start` ISO-8601 UTC floored to the hour, `entries` the responses counted in it. */
export type Block = { start: string; entries: number } & Tokens;

/** A case's expected report: the parts of `cco report --json` the token-accounting rule decides. */
export interface ExpectedReport {
  totals: Tokens;
  /** Per session id. */
  sessions: Record<string, Tokens>;
  /** Per `message.model`. */
  models: Record<string, Tokens>;
  /** Per UTC day (`YYYY-MM-DD`); responses without a timestamp are in no day. */
  days: Record<string, Tokens>;
  blocks: Block[];
  /** Responses counted after dedupe (`stats.entries`). */
  entries: number;
}

/** Tokens from (input, output, cache_creation, cache_read), the order the fixtures' comments use. */
export function t(input: number, output: number, creation: number, read: number): Tokens {
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: creation, cache_read_input_tokens: read };
}

/** A block starting at `start` with `entries` responses and these tokens. */
export function block(start: string, entries: number, tokens: Tokens): Block {
  return { start, entries, ...tokens };
}

/** The sum of token counts (field by field). */
export function sum(...all: Tokens[]): Tokens {
  return all.reduce(
    (a, b) =>
      t(
        a.input_tokens + b.input_tokens,
        a.output_tokens + b.output_tokens,
        a.cache_creation_input_tokens + b.cache_creation_input_tokens,
        a.cache_read_input_tokens + b.cache_read_input_tokens,
      ),
    t(0, 0, 0, 0),
  );
}
