import { z } from 'zod';

/**
 * An alert decided once (under the quota tracker's lock) and delivered once to every live session on its
 * next hook. `deliveredTo` lists the session ids that have shown it.
 */
export const AlertSchema = z.object({
  /** Stable id, unique per window: `quota-50@<window start ISO>`, `reset-30m@<window start ISO>`. */
  id: z.string(),
  kind: z.enum(['quota', 'reset']),
  /** % used for `quota`; minutes before the reset for `reset`. */
  threshold: z.number(),
  /** ISO-8601 UTC start of the 5-hour window the alert belongs to. */
  windowStart: z.string(),
  createdAt: z.string(),
  /** The quota level name at creation (FRESH ... CRITICAL). */
  level: z.string(),
  /** What the person is shown (systemMessage). */
  message: z.string(),
  /** What the model is told (additionalContext), for alerts at 75 % and above; null otherwise. */
  modelNote: z.string().nullable(),
  deliveredTo: z.array(z.string()),
});
export type Alert = z.infer<typeof AlertSchema>;

/** One calibration sample: counted tokens in an official window against its official utilization. */
export const CalibrationSampleSchema = z.object({
  /** ISO-8601 UTC of the reading. */
  at: z.string(),
  /** ISO-8601 UTC start of the official window (resets_at - 5 h). */
  windowStart: z.string(),
  /** Counted tokens (weighted) in the window up to `at`, from transcripts. */
  counted: z.number(),
  usedPercentage: z.number(),
  /** counted / (usedPercentage / 100): the budget this sample implies (tokens per 5 h). */
  impliedBudget: z.number(),
});
export type CalibrationSample = z.infer<typeof CalibrationSampleSchema>;
