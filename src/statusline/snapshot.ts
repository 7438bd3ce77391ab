import { checkSnapshot, type StatuslineSnapshot } from '../render/statusline-snapshot.ts';
import { readRegular } from '../store/read-regular.ts';

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
