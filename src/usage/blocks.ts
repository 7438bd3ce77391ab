import { addTokens, zeroTokens, type TokenCounts } from './tokens.ts';
import type { UsageEntry } from './usage-record.ts';

export const HOUR_MS = 3_600_000;
export const WINDOW_MS = 5 * HOUR_MS;

/** A 5-hour usage block: the transcript-derived estimate of one rate-limit window. */
export interface UsageBlock {
  /** Epoch ms: the first entry's time floored to the UTC hour. */
  startMs: number;
  /** Epoch ms: startMs + 5 h, when the window resets. */
  endMs: number;
  /** Epoch ms of the first and last entries in the block. */
  firstMs: number;
  lastMs: number;
  /** Deduplicated usage entries in the block. */
  entries: number;
  tokens: TokenCounts;
}

/**
 * Groups usage entries into 5-hour blocks (DESIGN.md): entries sorted by time; a block starts at its
 * first entry floored to the UTC hour; an entry more than 5 h after the block start, or after the
 * previous entry, opens a new block. Entries without a timestamp are left out. Pure.
 *
 * @param entries deduplicated usage entries (see `mergeDigests`), any order
 * @param floorToHour false starts a block at its first entry exactly (config `window.alignment: "exact"`)
 */
export function buildBlocks(entries: readonly UsageEntry[], floorToHour = true): UsageBlock[] {
  const timed = entries.filter((e): e is UsageEntry & { timeMs: number } => e.timeMs !== null);
  timed.sort((a, b) => a.timeMs - b.timeMs);
  const blocks: UsageBlock[] = [];
  let cur: UsageBlock | null = null;
  for (const e of timed) {
    if (cur === null || e.timeMs - cur.startMs > WINDOW_MS || e.timeMs - cur.lastMs > WINDOW_MS) {
      const startMs: number = floorToHour ? Math.floor(e.timeMs / HOUR_MS) * HOUR_MS : e.timeMs;
      cur = { startMs, endMs: startMs + WINDOW_MS, firstMs: e.timeMs, lastMs: e.timeMs, entries: 0, tokens: zeroTokens() };
      blocks.push(cur);
    }
    cur.lastMs = e.timeMs;
    cur.entries++;
    addTokens(cur.tokens, e.tokens);
  }
  return blocks;
}

/**
 * The block that is still open at `nowMs` (now - start <= 5 h and now - last entry <= 5 h), or null.
 * A new request at `nowMs` would land in it.
 */
export function activeBlock(blocks: readonly UsageBlock[], nowMs: number): UsageBlock | null {
  const last = blocks.at(-1);
  if (last === undefined) return null;
  return nowMs - last.startMs <= WINDOW_MS && nowMs - last.lastMs <= WINDOW_MS ? last : null;
}
