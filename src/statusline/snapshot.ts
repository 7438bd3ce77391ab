import { isEpochMs, isFiniteIn, MAX_QUOTA_PCT, percentOrNull } from '../claude/figure-bounds.ts';
import { readRegular } from '../store/read-regular.ts';
import type { StatuslineQuota } from '../render/statusline.ts';

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

/**
 * Reads the snapshot. Checked by hand, not with zod (the front loads no schema library): a file that is
 * missing, not JSON, not the expected shape or no regular file (a directory or FIFO, which the tracker's
 * next write moves aside) gives null, and the line shows what the payload alone gives.
 * Figures are bounded too (src/claude/figure-bounds.ts): times are epoch ms cco can show, the quota % is
 * finite in [0, MAX_QUOTA_PCT], the 7-day % in [0, 100], the burn rate finite and not negative;
 * otherwise the whole snapshot is treated as absent (null), as a malformed one is.
 * @throws never
 */
export function readStatuslineSnapshot(file: string): StatuslineSnapshot | null {
  // Never opened unless a regular file: a FIFO in its place would block the status line forever.
  const read = readRegular(file);
  if (read.kind !== 'text') return null;
  let raw: unknown;
  try {
    raw = JSON.parse(read.text);
  } catch {
    return null;
  }
  return checkSnapshot(raw);
}

/** `raw` as a snapshot when it has the shape and bounds `readStatuslineSnapshot` documents, else null. Pure. */
export function checkSnapshot(raw: unknown): StatuslineSnapshot | null {
  const s = raw as Partial<StatuslineSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.v !== 1 || !isEpochMs(s.atMs)) return null;
  if (typeof s.official !== 'object' || s.official === null || typeof s.contextPct !== 'object' || s.contextPct === null) return null;
  const q = s.quota;
  if (q === undefined) return null;
  if (q !== null && (typeof q !== 'object' || !isFiniteIn(q.usedPct, 0, MAX_QUOTA_PCT) || typeof q.usedPctSource !== 'string' || !isFiniteIn(q.burnPerMin, 0, Number.MAX_VALUE))) return null;
  if (q !== null && q.window !== null && (typeof q.window !== 'object' || !isEpochMs(q.window.endMs))) return null;
  if (q !== null && q.weekly !== null && (typeof q.weekly !== 'object' || percentOrNull(q.weekly.usedPercentage) === null || !isFiniteIn(q.weekly.ageMin, 0, Number.MAX_VALUE))) return null;
  return s as StatuslineSnapshot;
}
