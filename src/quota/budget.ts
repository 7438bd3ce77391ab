import { PLAN_BUDGETS, type Config } from '../config/config.ts';
import type { CalibrationSample } from '../store/schema-alerts.ts';
import { calibratedBudget, p90Budget } from './calibration.ts';

/** The budget source when no plan is set and nothing calibrates: the pro preset (the person is told once how to set theirs). */
export const NO_PLAN_SOURCE = 'estimate, pro preset, no plan set';

/** The 5-hour budget used for estimates (counted tokens), and where it comes from. */
export interface Budget {
  tokens: number;
  source: string;
}

/**
 * Which budget estimates use: calibrated from official readings when there are any; for `plan:
 * "custom"` the configured `customBudget`, else the 90th percentile of past completed windows; else
 * the plan preset. Pure.
 *
 * @param completedWindowTokens counted tokens of past (final) 5-hour windows
 */
export function resolveBudget(cfg: Config, samples: readonly CalibrationSample[], completedWindowTokens: readonly number[]): Budget {
  const cal = calibratedBudget(samples);
  if (cal !== null) return { tokens: cal.budget, source: `estimate, calibrated from ${cal.samples} official reading${cal.samples === 1 ? '' : 's'}` };
  if (cfg.plan === 'custom') {
    if (cfg.customBudget !== undefined) return { tokens: cfg.customBudget, source: 'estimate, customBudget of cco/config.json' };
    const p90 = p90Budget(completedWindowTokens);
    if (p90 !== null) return { tokens: p90, source: `estimate, p90 of ${completedWindowTokens.length} past windows` };
    return { tokens: PLAN_BUDGETS.pro, source: 'estimate, pro preset: no customBudget or past windows yet' };
  }
  if (cfg.plan === undefined) return { tokens: PLAN_BUDGETS.pro, source: NO_PLAN_SOURCE };
  return { tokens: PLAN_BUDGETS[cfg.plan], source: `estimate, ${cfg.plan} preset` };
}
