import type { Config } from '../config/config.ts';
import type { QuotaNow } from '../plan/fit.ts';
import { weeklyLimit, type WeeklyLimit } from '../plan/weekly-limit.ts';
import type { WorkingHours } from '../plan/working-hours.ts';
import { systemTimeZone } from '../plan/zoned-time.ts';
import { quotaFromState } from '../quota/quota-from-state.ts';
import type { QuotaStatus } from '../quota/quota-status.ts';
import type { Runtime } from '../runtime.ts';
import { loadConfig } from '../store/config-file.ts';
import { emptySessionTracker, QuotaTrackerSchema, SessionTrackerSchema } from '../store/schemas.ts';
import { trackAll } from '../tracker/track-step.ts';
import { readState } from '../store/update.ts';
import { emptyQuotaTracker } from '../usage/window-ledger.ts';
import { installedSeeds } from '../claude/seed-commands.ts';
import { slashFor, type Slash } from '../render/command-names.ts';

/** Transcripts modified within this span are caught up first (as `cco status` does). */
const CATCH_UP_SPAN_MS = 10 * 3_600_000;

/** What the planning commands need from config and the quota picture. Times in epoch ms. */
export interface PlanContext {
  nowMs: number;
  config: Config;
  /** Why `cco/config.json` was ignored, or null. */
  configProblem: string | null;
  /** The quota picture (official first; the budget calibrated, custom, p90 or preset). */
  quota: QuotaStatus;
  /** Budget, tokens left now and the window's reset, for fitting and scheduling. */
  quotaNow: QuotaNow;
  weekly: WeeklyLimit | null;
  /** `planning.timeZone`, else this computer's zone. */
  timeZone: string;
  workingHours: WorkingHours;
  /** How the person types cco's commands (installed seed commands, else `/cco:<name>`). */
  slash: Slash;
}

/**
 * Loads config and the quota picture at `rt.now()`. With `catchUp`, recent transcripts are tracked first
 * (as `cco status` does) so the figures are current.
 * @throws LockBusyError when tracking cannot take a state lock within 5 s
 */
export async function loadPlanContext(rt: Runtime, opts: { catchUp: boolean }): Promise<PlanContext> {
  const { config, problem } = loadConfig(rt);
  const nowMs = rt.now().getTime();
  if (opts.catchUp) await trackAll(rt, nowMs - CATCH_UP_SPAN_MS, { lockBudgetMs: 5_000 });
  const sessions = readState(rt.paths.sessionTracker, SessionTrackerSchema, emptySessionTracker);
  const tracker = readState(rt.paths.quotaTracker, QuotaTrackerSchema, emptyQuotaTracker);
  const quota = quotaFromState(tracker, sessions, config, nowMs);
  return {
    nowMs,
    config,
    configProblem: problem,
    quota,
    quotaNow: { budget: quota.budget, remaining: quota.window === null ? quota.budget : quota.remaining, windowEndMs: quota.window?.endMs ?? null },
    weekly: weeklyLimit(quota.weekly, tracker.readings, quota.budget, config.planning.weeklyCapPct),
    timeZone: config.planning.timeZone ?? systemTimeZone(),
    workingHours: config.planning.workingHours,
    slash: slashFor(installedSeeds(rt.paths.stateDir)),
  };
}
