import { isEpochMs, isFiniteIn, MAX_QUOTA_PCT, percentOrNull } from '../claude/figure-bounds.ts';
import type { StatuslineQuota } from './statusline.ts';

/**
 * `cco/statusline-snapshot.json`: what the status line front (dist/statusline.cjs) needs from the state,
 * computed by the background tracker after every drain (src/tracker/snapshot-write.ts), so that the
 * status line reads one small file instead of the quota tracker.
 */
export interface StatuslineSnapshot {
  v: 1;
  /** When it was computed (epoch ms). */
  atMs: number;
  /** The quota picture at `atMs` (quotaFromState), or null with `quotaWhy`. */
  quota: StatuslineQuota | null;
  quotaWhy: string | null;
  /**
   * The official readings as last saved (epoch ms): a status line run whose payload differs from these,
   * or finds them a minute old, spools its payload for the tracker to save.
   */
  official: { fiveHourPct: number | null; sevenDayPct: number | null; savedAtMs: number | null };
  /** Context used (0-100) per session as last saved from a status line payload. */
  contextPct: Record<string, number>;
}

/** `raw` as a snapshot when it has the shape and bounds `readStatuslineSnapshot` documents (src/statusline/snapshot.ts), else null. Pure. */
export function checkSnapshot(raw: unknown): StatuslineSnapshot | null {
  const s = raw as Partial<StatuslineSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.v !== 1 || !isEpochMs(s.atMs)) return null;
  if (typeof s.official !== 'object' || s.official === null || typeof s.contextPct !== 'object' || s.contextPct === null) return null;
  const q = s.quota;
  if (q === undefined) return null;
  if (
    q !== null &&
    (typeof q !== 'object' || !isFiniteIn(q.usedPct, 0, MAX_QUOTA_PCT) || typeof q.usedPctSource !== 'string' || !isFiniteIn(q.burnPerMin, 0, Number.MAX_VALUE))
  )
    return null;
  if (q !== null && q.window !== null && (typeof q.window !== 'object' || !isEpochMs(q.window.endMs))) return null;
  if (
    q !== null &&
    q.weekly !== null &&
    (typeof q.weekly !== 'object' || percentOrNull(q.weekly.usedPercentage) === null || !isFiniteIn(q.weekly.ageMin, 0, Number.MAX_VALUE))
  )
    return null;
  return s as StatuslineSnapshot;
}
