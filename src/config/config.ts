import { z } from 'zod';

/**
 * Plan presets: counted tokens per 5-hour window (the product description's figures for free, pro and
 * team; max5 and max20 are 5x and 20x pro). These are estimates, never Anthropic's published limits,
 * and every figure derived from them is labelled `estimate, <plan> preset`.
 */
export const PLAN_BUDGETS = { free: 50_000, pro: 200_000, team: 500_000, max5: 1_000_000, max20: 4_000_000 } as const;
export type PlanName = keyof typeof PLAN_BUDGETS | 'custom';

export const ConfigSchema = z.looseObject({
  /**
   * More Claude config dirs of this account to read transcripts from (absolute paths), beside the ones
   * cco has seen on this machine (src/store/config-dirs-registry.ts).
   */
  configDirs: z.array(z.string()).optional(),
  /**
   * Which plan's budget to estimate against; `custom` uses `customBudget`. Absent: the pro preset, and
   * the person is told once how to set theirs (see PLAN_HINT).
   */
  plan: z.enum(['free', 'pro', 'team', 'max5', 'max20', 'custom']).optional(),
  /** Tokens per 5 h for `plan: "custom"`. */
  customBudget: z.number().int().positive().optional(),
  quota: z
    .looseObject({
      /** Weight of each token kind in the counted total (default: cache reads do not count). */
      weights: z
        .object({
          input: z.number().min(0).default(1),
          output: z.number().min(0).default(1),
          cacheCreation: z.number().min(0).default(1),
          cacheRead: z.number().min(0).default(0),
        })
        .prefault({}),
      /** Alert thresholds, % of the budget. */
      thresholds: z.array(z.number().min(0).max(100)).default([10, 25, 50, 75, 90, 95]),
      /** Alerts this many minutes before the 5-hour window resets. */
      resetMarksMin: z.array(z.number().positive()).default([60, 30, 5]),
      /** From this % used on, alerts also tell the model (additionalContext) to plan smaller steps. */
      modelNoteFromPct: z.number().min(0).max(100).default(75),
      /** Desktop notifications (notify-send / osascript) when an alert is decided. */
      desktopNotifications: z.boolean().default(true),
    })
    .prefault({}),
  context: z
    .looseObject({
      /**
       * Share of the context window treated as usable. Absent (the default): Claude Code's own
       * auto-compaction point for the model (src/claude/model-windows.ts).
       */
      usableFraction: z.number().gt(0).max(1).optional(),
      /**
       * Context window size (tokens) for a model neither the status line nor cco's model table knows (a
       * gateway's own model id, say). Absent: such a window is unknown and raises no context alert.
       */
      windowSize: z.number().int().positive().optional(),
      /** Alert thresholds, % of the usable limit. */
      thresholds: z.array(z.number().min(0).max(100)).default([50, 80, 90]),
      /** From this % of the usable limit (DANGER) the alerts also tell the model to ask for a compaction. */
      compactFromPct: z.number().min(0).max(100).default(80),
      /** Exchanges older than the last this many turns count as droppable in the compaction plan. */
      keepTurns: z.number().int().positive().default(10),
    })
    .prefault({}),
  window: z
    .looseObject({
      /** `hour`: a 5-hour window starts at its first request floored to the hour; `exact`: at the request. */
      alignment: z.enum(['hour', 'exact']).default('hour'),
    })
    .prefault({}),
  sessions: z
    .looseObject({
      /** More live sessions than this at once gives a warning (`cco sessions`, /session-status). */
      maxConcurrent: z.number().int().positive().default(8),
      /** A session is live when it was active within this many minutes and has not ended. */
      liveWithinMin: z.number().positive().default(10),
    })
    .prefault({}),
  /**
   * Session planning (`cco plan`, /start-next-session, /create-calendar-events). Named `planning` because
   * `plan` is the plan name above.
   */
  planning: z
    .looseObject({
      /** When sessions may be scheduled, in `timeZone`: `HH:MM` start and end (end after start), and the days. */
      workingHours: z
        .object({
          start: z
            .string()
            .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)')
            .default('09:00'),
          end: z
            .string()
            .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM (24 h)')
            .default('18:00'),
          days: z
            .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
            .min(1)
            .default(['mon', 'tue', 'wed', 'thu', 'fri']),
        })
        .refine((w) => w.end > w.start, { message: 'workingHours.end must be after workingHours.start' })
        .prefault({}),
      /** IANA time zone of the working hours and of calendar events; absent: this computer's zone. */
      timeZone: z.string().refine(isTimeZone, { message: 'an IANA time zone such as "Europe/Berlin"' }).optional(),
      /** The schedule keeps the projected 7-day utilization (official %) at or below this. */
      weeklyCapPct: z.number().gt(0).max(100).default(95),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

/** The defaults (what an absent `cco/config.json` means). */
export function defaultConfig(): Config {
  return ConfigSchema.parse({});
}

/**
 * The 5-hour budget (counted tokens) of the configured plan.
 * @throws Error when `plan` is `custom` without a `customBudget`
 */
export function planBudget(c: Config): number {
  if (c.plan === 'custom') {
    if (c.customBudget === undefined) throw new Error('plan "custom" needs "customBudget" (tokens per 5 h) in cco/config.json');
    return c.customBudget;
  }
  return PLAN_BUDGETS[c.plan ?? 'pro'];
}

/** The plan estimates use: the configured one, else `pro`. Pure. */
export function planName(c: Pick<Config, 'plan'>): PlanName {
  return c.plan ?? 'pro';
}

/**
 * What the person is told (once in the alerts, and by /session-status while it applies) when estimates
 * use the pro preset only because no plan is set: how to set theirs. `configFile` is cco/config.json's path.
 */
export function planHint(configFile: string): string {
  return `cco: estimates use the pro preset (${PLAN_BUDGETS.pro.toLocaleString('en-US')} counted tokens per 5 h) because no plan is set, and Claude Code reports official usage only to subscribers. Set yours in ${configFile}, e.g. {"plan": "max5"} (free, pro, team, max5, max20, or "custom" with "customBudget").`;
}

/** True when `tz` is an IANA time zone this runtime knows (Intl). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
