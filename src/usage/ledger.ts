import { fromTuple, tupleTotal, type EntryTuple, type FileDigest } from '../claude/transcript-digest.ts';
import type { UsageEntry } from './usage-record.ts';

/**
 * Merges per-file digests into the account's deduplicated usage entries, applying DESIGN.md's rule
 * across files: records sharing a key count once, as the copy with the largest token total (the first
 * in file order on a tie); records without `message.id` all count. `digests` must be in the order the
 * files were listed (config dir order, then sorted path), which decides ties.
 *
 * @returns entries in first-seen key order, then the keyless ones (the order `blocks` sorts from)
 */
export function mergeDigests(digests: Iterable<Pick<FileDigest, 'entries' | 'loose'>>): UsageEntry[] {
  const best = new Map<string, EntryTuple>();
  const loose: EntryTuple[] = [];
  for (const d of digests) {
    for (const t of d.entries) {
      const prev = best.get(t[0]!);
      if (prev === undefined || tupleTotal(t) > tupleTotal(prev)) best.set(t[0]!, t);
    }
    for (const t of d.loose) loose.push(t);
  }
  const out: UsageEntry[] = [];
  for (const t of best.values()) out.push(fromTuple(t));
  for (const t of loose) out.push(fromTuple(t));
  return out;
}
