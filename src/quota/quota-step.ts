import type { Config } from '../config/config.ts';
import type { Alert } from '../store/schema-alerts.ts';
import type { QuotaTracker } from '../store/schemas.ts';
import type { UsageEntry } from '../usage/usage-record.ts';
import { mergeUsage } from '../usage/window-ledger.ts';
import { slashFor } from '../render/command-names.ts';
import { decideAlerts, figureOf, takeDelivery, type Delivery } from './alerts.ts';
import { MAX_SAMPLES, sampleFromReading } from './calibration.ts';
import { quotaFromState, recentEntries } from './quota-from-state.ts';
import { countedBetween, type QuotaStatus } from './quota-status.ts';

/** The outcome of one step under the quota tracker's lock. */
export interface QuotaStepResult {
  /** The new tracker; the same object as the input when nothing changed (then nothing is written). */
  next: QuotaTracker;
  /** The quota picture after the step. */
  picture: QuotaStatus;
  /** Alerts decided by this step (for desktop notifications, sent once, by the process that decided). */
  created: Alert[];
  /** What this session shows now, if anything. */
  delivery: Delivery | null;
}

/**
 * Everything a trigger does under the quota tracker's lock, as one pure function: merge the usage
 * entries into the 5-hour blocks, take a calibration sample from a fresh official reading, decide the
 * alerts the new picture crosses, and take this session's undelivered alerts.
 *
 * @param session the session whose hook runs, and when it last started or resumed (epoch ms, null when
 *   unknown); null for CLI scans: they decide but deliver nothing
 * @param seeds the seed commands installed as user-level commands (how notices name commands)
 */
export function quotaStep(
  q: QuotaTracker,
  entries: readonly UsageEntry[],
  cfg: Config,
  nowMs: number,
  session: { id: string; liveSinceMs: number | null } | null,
  seeds: ReadonlySet<string> = new Set(),
): QuotaStepResult {
  let next = mergeUsage(q, entries, nowMs, { floorToHour: cfg.window.alignment === 'hour' });
  const w = cfg.quota.weights;
  const recent = recentEntries(next);
  const sample = sampleFromReading(next.readings, next.calibration, (a, b) => countedBetween(recent, w, a, b), nowMs);
  if (sample !== null) next = { ...next, calibration: [...next.calibration, sample].slice(-MAX_SAMPLES) };
  const picture = quotaFromState(next, null, cfg, nowMs);
  const decided = decideAlerts(
    next.alerts,
    picture,
    nowMs,
    {
      thresholds: cfg.quota.thresholds,
      resetMarksMin: cfg.quota.resetMarksMin,
      modelNoteFromPct: cfg.quota.modelNoteFromPct,
    },
    slashFor(seeds),
  );
  let alerts = decided.alerts;
  let delivery: Delivery | null = null;
  if (session !== null) {
    ({ alerts, delivery } = takeDelivery(alerts, session.id, {
      windowStartMs: picture.window?.startMs ?? null,
      liveSinceMs: session.liveSinceMs,
      figure: figureOf(picture),
      nowMs,
      modelNoteFromPct: cfg.quota.modelNoteFromPct,
      seeds,
    }));
  }
  if (alerts !== next.alerts) next = { ...next, alerts };
  return { next, picture, created: decided.created, delivery };
}
