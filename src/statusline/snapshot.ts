import { readFileSync } from 'node:fs';
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
 * missing, not JSON or not the expected shape gives null, and the line shows what the payload alone gives.
 * @throws never
 */
export function readStatuslineSnapshot(file: string): StatuslineSnapshot | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const s = raw as Partial<StatuslineSnapshot> | null;
  if (s === null || typeof s !== 'object' || s.v !== 1 || typeof s.atMs !== 'number') return null;
  if (typeof s.official !== 'object' || s.official === null || typeof s.contextPct !== 'object' || s.contextPct === null) return null;
  const q = s.quota;
  if (q !== null && (typeof q !== 'object' || q === undefined || typeof q.usedPct !== 'number' || typeof q.usedPctSource !== 'string' || typeof q.burnPerMin !== 'number')) return null;
  if (q !== null && q.window !== null && (typeof q.window !== 'object' || typeof q.window.endMs !== 'number')) return null;
  if (q !== null && q.weekly !== null && (typeof q.weekly !== 'object' || typeof q.weekly.usedPercentage !== 'number' || typeof q.weekly.ageMin !== 'number')) return null;
  return s as StatuslineSnapshot;
}
