import { z } from 'zod';

/**
 * One official rate-limit reading, captured by the statusline from Claude Code's `rate_limits`
 * (reference §5.2): the utilization Anthropic reports for a window, and when it resets.
 */
export const OfficialReadingSchema = z.object({
  /** `five_hour`, `seven_day`, or another window name Claude Code sends (e.g. `spend_limit`). */
  window: z.string(),
  /** 0-100, as Claude Code rounds it (one decimal). */
  usedPercentage: z.number(),
  /** ISO-8601 UTC (from `resets_at`, epoch seconds). */
  resetsAt: z.string(),
  /** ISO-8601 UTC: when the statusline last saw this value (refreshed at most once a minute when unchanged). */
  capturedAt: z.string(),
});
export type OfficialReading = z.infer<typeof OfficialReadingSchema>;

/** What the statusline last saw of a session's context window (reference §5.2 `context_window`). */
export const StatuslineContextSchema = z.object({
  /** 0-100, or null before the first response. */
  usedPercentage: z.number().nullable(),
  /** Tokens (input + cache creation + cache read of the last response), or null before the first response. */
  usedTokens: z.number().nullable(),
  /** The model's context window (tokens). */
  windowSize: z.number().nullable(),
  model: z.string().nullable(),
  /** ISO-8601 UTC. */
  capturedAt: z.string(),
});
export type StatuslineContext = z.infer<typeof StatuslineContextSchema>;
