import { z } from 'zod';
import { checkRateWindow, contextFill } from './figure-bounds.ts';

/**
 * The statusline's stdin JSON (reference §5.2), the fields we use. Every field is optional or nullable
 * as Claude Code sends it (before the first response `context_window.current_usage` and
 * `used_percentage` are null; `rate_limits` only for subscribers and gateway users), and objects are
 * loose so new fields pass. A field of the wrong type is dropped (`catch`) instead of failing the whole
 * payload: the line then says `n/a` for that figure only.
 */

const num = z.number().nullable().optional().catch(undefined);
const str = z.string().nullable().optional().catch(undefined);

/** One `rate_limits` window: `used_percentage` 0-100 (one decimal), `resets_at` Unix epoch **seconds**. */
const RateLimitWindowSchema = z.looseObject({
  used_percentage: num,
  resets_at: num,
});

/** `context_window`: tokens of the last response and the model's window size (tokens). */
const ContextWindowInputSchema = z.looseObject({
  /** input + cache creation + cache read of the last response (the current context), tokens. */
  total_input_tokens: num,
  total_output_tokens: num,
  context_window_size: num,
  current_usage: z
    .looseObject({
      input_tokens: num,
      output_tokens: num,
      cache_creation_input_tokens: num,
      cache_read_input_tokens: num,
    })
    .nullable()
    .optional()
    .catch(undefined),
  /** 0-100, null before the first response. */
  used_percentage: num,
  remaining_percentage: num,
});

export const StatuslineInputSchema = z.looseObject({
  session_id: str,
  transcript_path: str,
  cwd: str,
  model: z.looseObject({ id: str, display_name: str }).nullable().optional().catch(undefined),
  workspace: z.looseObject({ current_dir: str, project_dir: str }).nullable().optional().catch(undefined),
  version: str,
  context_window: ContextWindowInputSchema.nullable().optional().catch(undefined),
  /** `five_hour`, `seven_day`, `spend_limit`, ...: a window is present only while its reset is ahead. */
  rate_limits: z.record(z.string(), RateLimitWindowSchema.nullable().catch(null)).nullable().optional().catch(undefined),
});
export type StatuslineInput = z.infer<typeof StatuslineInputSchema>;

/** The payload, or why there is none (`input` is null exactly when `problem` is set). */
export type ParsedStatusline = { input: StatuslineInput; problem: null } | { input: null; problem: string };

/**
 * Parses the statusline's stdin text. Never throws.
 * @returns the payload; or `problem`: `no input on stdin`, `stdin is not JSON`, `stdin JSON is not an object`
 */
export function parseStatuslineInput(text: string): ParsedStatusline {
  if (text.trim() === '') return { input: null, problem: 'no input on stdin' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { input: null, problem: 'stdin is not JSON' };
  }
  const parsed = StatuslineInputSchema.safeParse(raw);
  if (!parsed.success) return { input: null, problem: 'stdin JSON is not an object' };
  return { input: parsed.data, problem: null };
}

/** One usable `rate_limits` window. Times in epoch ms. */
export interface RateLimitSample {
  window: string;
  /** 0-100. */
  usedPercentage: number;
  resetsAtMs: number;
}

/** The payload's `rate_limits` checked at `nowMs`: the windows to save, and those refused (window -> why). */
export interface RateLimitRead {
  samples: RateLimitSample[];
  bad: Map<string, string>;
}

/**
 * Every window of `rate_limits` checked with `checkRateWindow` (src/claude/figure-bounds.ts) at `nowMs`
 * (epoch ms): `ok` ones and those that reset a moment ago (`over`: foldReadings drops them as not
 * current) are samples, in payload order; `bad` ones (a percentage outside [0, 100.5], a reset missing,
 * in year 58903, more than the window's length plus slack ahead, or long past) are never samples. A
 * field of the wrong type was already dropped by the schema, and reads as missing. Pure.
 */
export function readRateLimits(input: StatuslineInput, nowMs: number): RateLimitRead {
  const samples: RateLimitSample[] = [];
  const bad = new Map<string, string>();
  for (const [window, w] of Object.entries(input.rate_limits ?? {})) {
    const c = checkRateWindow(window, w, nowMs);
    if (c.kind === 'bad') bad.set(window, c.why);
    else if (c.kind === 'ok' || c.kind === 'over') samples.push({ window, usedPercentage: c.pct, resetsAtMs: c.resetsAtMs });
  }
  return { samples, bad };
}

/**
 * The samples of `readRateLimits`, each refused window reported through `onBad` (the caller logs it).
 * Pure apart from `onBad`.
 * @param nowMs epoch ms
 * @returns [] when `rate_limits` is absent or null
 */
export function rateLimitSamples(input: StatuslineInput, nowMs: number, onBad: (why: string) => void = () => undefined): RateLimitSample[] {
  const r = readRateLimits(input, nowMs);
  for (const why of r.bad.values()) onBad(why);
  return r.samples;
}

/** What the payload says of the context window. Tokens; percentage 0-100. */
export interface ContextSample {
  /** Claude Code's `used_percentage`, else current tokens / window size x 100; null before the first response. */
  usedPercentage: number | null;
  /** input + cache creation + cache read of `current_usage`; null before the first response. */
  usedTokens: number | null;
  windowSize: number | null;
  model: string | null;
}

/**
 * The context window figures of a payload, or null when it has no `context_window`. Pure.
 * `usedPercentage` is Claude Code's `used_percentage` when it is in [0, 100], else computed from
 * `current_usage` against `context_window_size` (both needed). `windowSize` is `context_window_size` when
 * it is a believable window (an integer of 100,000..100,000,000 tokens: `contextWindowOrNull`), else
 * null: the model table then sizes the window, as for a missing one. `usedTokens` is null unless every
 * counted field is a finite, non-negative number.
 */
export function contextSample(input: StatuslineInput): ContextSample | null {
  const cw = input.context_window;
  if (cw === undefined || cw === null) return null;
  const f = contextFill(cw);
  return { usedPercentage: f.pct, usedTokens: f.tokens, windowSize: f.windowSize, model: input.model?.id ?? null };
}
