import type { Alert, CalibrationSample } from './schema-alerts.ts';
import type { OfficialReading } from './schema-official.ts';

/** The part of the quota tracker that cannot be rebuilt from transcripts. */
export interface DurableQuota {
  readings: OfficialReading[];
  alerts: Alert[];
  calibration: CalibrationSample[];
}

/**
 * Union of two copies of the durable quota state, so that restoring from either copy never drops newer
 * data: readings by (window, resetsAt, usedPercentage) keeping the latest capture, alerts by id with the
 * union of `deliveredTo`, calibration samples by (windowStart, usedPercentage). Each list is ordered
 * oldest first and bounded like the tracker's. Pure.
 */
export function mergeDurable(a: DurableQuota, b: DurableQuota): DurableQuota {
  const readings = new Map<string, OfficialReading>();
  for (const r of [...a.readings, ...b.readings]) {
    const k = `${r.window}|${r.resetsAt}|${r.usedPercentage}`;
    const prev = readings.get(k);
    if (prev === undefined || Date.parse(r.capturedAt) > Date.parse(prev.capturedAt)) readings.set(k, r);
  }
  const alerts = new Map<string, Alert>();
  for (const al of [...a.alerts, ...b.alerts]) {
    const prev = alerts.get(al.id);
    alerts.set(al.id, prev === undefined ? al : { ...prev, deliveredTo: [...new Set([...prev.deliveredTo, ...al.deliveredTo])] });
  }
  const calibration = new Map<string, CalibrationSample>();
  for (const c of [...a.calibration, ...b.calibration]) calibration.set(`${c.windowStart}|${c.usedPercentage}`, c);
  const byTime = <T>(xs: T[], t: (x: T) => string, k: (x: T) => string) =>
    xs.sort((x, y) => Date.parse(t(x)) - Date.parse(t(y)) || (k(x) < k(y) ? -1 : k(x) > k(y) ? 1 : 0));
  return {
    readings: byTime(
      [...readings.values()],
      (r) => r.capturedAt,
      (r) => `${r.window}|${r.resetsAt}|${r.usedPercentage}`,
    ).slice(-2_000),
    alerts: byTime(
      [...alerts.values()].map((x) => ({ ...x, deliveredTo: [...x.deliveredTo].sort() })),
      (x) => x.createdAt,
      (x) => x.id,
    ).slice(-500),
    calibration: byTime(
      [...calibration.values()],
      (c) => c.at,
      (c) => `${c.windowStart}|${c.usedPercentage}`,
    ).slice(-50),
  };
}

const EMPTY: DurableQuota = { readings: [], alerts: [], calibration: [] };

/** A canonical JSON form of durable state (sorted, deduplicated): equal strings mean equal state. Pure. */
export function canonicalDurable(d: DurableQuota): string {
  return JSON.stringify(mergeDurable(d, EMPTY));
}
