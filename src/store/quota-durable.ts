import { canonicalDurable, mergeDurable, type DurableQuota } from './durable-merge.ts';
import type { Runtime } from '../runtime.ts';
import { DurableQuotaSchema, QuotaTrackerSchema, type QuotaTracker } from './schemas.ts';
import { readState, update } from './update.ts';

/**
 * Why two files: usage in `quota-tracker.json` is a cache of the transcripts, but its official readings,
 * alerts and calibration samples exist nowhere else. They are mirrored into `cco/quota-durable.json`, so
 * a corruption of either file loses neither: each is quarantined on its own and restored from the other.
 */

const EMPTY: DurableQuota = { readings: [], alerts: [], calibration: [] };

/** The durable copy (empty when missing; an invalid copy is reported and reads as empty until rewritten). */
export function readDurable(rt: Runtime): DurableQuota {
  return readState(
    rt.paths.quotaDurable,
    DurableQuotaSchema,
    () => ({ version: 1 as const, ...EMPTY }),
    (why) => rt.log('warn', 'durable', `${rt.paths.quotaDurable} unreadable (${why})`),
  );
}

/**
 * What an earlier build kept in the config dir (`quota-tracker.json`, `cco/quota-durable.json`) before the
 * account's state moved to its own dir (src/claude/account-home.ts): read, never moved or changed, when
 * the account's quota tracker is new, so readings, alerts and calibration carry over. Unreadable files
 * read as empty.
 */
export function readLegacyDurable(rt: Runtime): DurableQuota {
  const d = readState(rt.paths.legacyQuotaDurable, DurableQuotaSchema, () => ({ version: 1 as const, ...EMPTY }));
  const q = readState(rt.paths.legacyQuotaTracker, QuotaTrackerSchema, () => null);
  return mergeDurable(d, q === null ? EMPTY : { readings: q.readings, alerts: q.alerts, calibration: q.calibration });
}

/** The quota tracker with the durable copy merged in (for a tracker that was just rebuilt). Pure. */
export function withDurable(q: QuotaTracker, d: DurableQuota): QuotaTracker {
  const m = mergeDurable({ readings: q.readings, alerts: q.alerts, calibration: q.calibration }, d);
  return { ...q, ...m };
}

/**
 * Brings the durable copy up to the tracker's readings, alerts and calibration (merged, never dropping
 * either side's entries). Writes only when something differs. A corrupt durable file is quarantined by
 * `update` and rewritten from the tracker.
 *
 * @throws LockBusyError when its lock is busy beyond the budget (the next trigger mirrors again)
 */
export async function mirrorDurable(rt: Runtime, q: QuotaTracker, lockBudgetMs = 1_000): Promise<void> {
  const fromTracker: DurableQuota = { readings: q.readings, alerts: q.alerts, calibration: q.calibration };
  const current = readDurable(rt);
  if (canonicalDurable(mergeDurable(current, fromTracker)) === canonicalDurable(current)) return;
  await update(
    rt.paths.quotaDurable,
    DurableQuotaSchema,
    () => ({ version: 1 as const, ...EMPTY }),
    (d) => {
      const merged = mergeDurable(d, fromTracker);
      return canonicalDurable(merged) === canonicalDurable(d) ? undefined : { version: 1 as const, ...merged };
    },
    { lockBudgetMs, now: rt.now, onQuarantine: (f, to, why) => rt.log('warn', 'durable', `${f} moved to ${to}: ${why}; rewritten from the quota tracker`) },
  );
}
