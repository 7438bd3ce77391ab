/** Quota levels by % of the 5-hour budget used (the product description's seven), with advice. */
export interface QuotaLevel {
  name: 'FRESH' | 'EXCELLENT' | 'GOOD' | 'MODERATE' | 'HIGH USAGE' | 'DANGER' | 'CRITICAL';
  /** Upper bound (exclusive) in % used; Infinity for the last. */
  below: number;
  recommendation: string;
}

export const QUOTA_LEVELS: readonly QuotaLevel[] = [
  { name: 'FRESH', below: 10, recommendation: 'Full window ahead: good time for a large task (multi-file features, refactors).' },
  { name: 'EXCELLENT', below: 25, recommendation: 'Plenty left: large tasks still fit.' },
  { name: 'GOOD', below: 50, recommendation: 'Comfortable: medium tasks fit; plan large ones to finish in this window.' },
  { name: 'MODERATE', below: 75, recommendation: 'Half used: prefer focused, medium-sized tasks; avoid broad exploration.' },
  { name: 'HIGH USAGE', below: 90, recommendation: 'Keep tasks small: targeted edits, few file reads; save a handoff soon.' },
  { name: 'DANGER', below: 95, recommendation: 'Wrap up: finish the current step and save a handoff (/save-and-restart).' },
  { name: 'CRITICAL', below: Infinity, recommendation: 'Stop starting new work: save a handoff now and resume after the reset.' },
];

/** The level for `pctUsed` (0-100+). Pure. */
export function quotaLevel(pctUsed: number): QuotaLevel {
  return QUOTA_LEVELS.find((l) => pctUsed < l.below) ?? QUOTA_LEVELS[QUOTA_LEVELS.length - 1]!;
}

/** The first threshold (%) above `pctUsed`, or null when all are passed. */
export function nextThreshold(pctUsed: number, thresholds: readonly number[]): number | null {
  const next = [...thresholds].sort((a, b) => a - b).find((t) => t > pctUsed);
  return next ?? null;
}
