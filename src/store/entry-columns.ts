import type { EntryTuple } from '../claude/transcript-digest.ts';

/**
 * Usage entries as columns of doubles, ENTRY_WIDTH per entry: session id, request key and model as
 * string-table indexes (-1 for null), time in epoch ms (NaN for null), then the four token counts. The
 * one binary layout of the report cache's base (report-base.ts) and of a worker's scan reply (scan-pool.ts).
 */
export const ENTRY_WIDTH = 8;

/**
 * Writes `t` at `nums[k..k+8)`, interning its strings with `id` (string-table.ts).
 * @returns the index after it
 */
export function writeEntry(nums: Float64Array, k: number, t: EntryTuple, id: (s: string | null) => number): number {
  nums[k] = id(t[0]);
  nums[k + 1] = id(t[1]);
  nums[k + 2] = t[2] === null ? NaN : t[2];
  nums[k + 3] = id(t[3]);
  nums[k + 4] = t[4];
  nums[k + 5] = t[5];
  nums[k + 6] = t[6];
  nums[k + 7] = t[7];
  return k + ENTRY_WIDTH;
}

/** The entry at `nums[k..k+8)`, its strings looked up in `strings`. */
export function readEntry(strings: readonly string[], nums: Float64Array, k: number): EntryTuple {
  const n = nums;
  return [n[k]! < 0 ? null : strings[n[k]!]!, n[k + 1]! < 0 ? null : strings[n[k + 1]!]!, Number.isNaN(n[k + 2]) ? null : n[k + 2]!, strings[n[k + 3]!]!, n[k + 4]!, n[k + 5]!, n[k + 6]!, n[k + 7]!];
}
