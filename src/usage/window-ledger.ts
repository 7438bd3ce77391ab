import { buildBlocks, type UsageBlock } from './blocks.ts';
import { totalTokens } from './tokens.ts';
import type { UsageEntry } from './usage-record.ts';
import type { QuotaTracker, StoredBlock } from '../store/schemas.ts';

/** Blocks whose last entry is older than this before the newest entry are final: their entries are dropped. */
export const LIVE_HORIZON_MS = 10 * 3_600_000;

/** Options of `mergeUsage`. */
export interface MergeOptions {
  /** Final blocks kept (oldest dropped first). */
  maxBlocks?: number;
  /** false: a block starts at its first entry exactly (`window.alignment: "exact"`). */
  floorToHour?: boolean;
}

type Seen = QuotaTracker['seen'];

/**
 * Adds usage entries (new or grown copies, from any session, in any order) to the account's 5-hour
 * blocks. Live blocks are recomputed from the entries themselves (`seen`, deduplicated by key, the
 * largest copy kept), so sessions reporting out of order give the same blocks as one sorted scan.
 * A block whose last entry is more than 10 h older than the newest entry becomes final: its totals are
 * kept and its entries dropped. An entry older than the newest final block's end is history only
 * (`cco report` counts it) and is ignored here. Pure: returns a new value, or `q` itself when nothing changed.
 */
export function mergeUsage(q: QuotaTracker, changes: readonly UsageEntry[], nowMs: number, opts: MergeOptions = {}): QuotaTracker {
  const final = q.blocks.filter((b) => b.final);
  const lastFinal = final.at(-1);
  const floorMs = lastFinal === undefined ? -Infinity : Date.parse(lastFinal.last);
  const seen: Seen = { ...q.seen };
  let changed = false;
  for (const e of changes) {
    if (e.timeMs === null) continue;
    const key =
      e.key ??
      `~${e.sessionId ?? '?'}:${e.timeMs}:${e.tokens.input_tokens}:${e.tokens.output_tokens}:${e.tokens.cache_creation_input_tokens}:${e.tokens.cache_read_input_tokens}`;
    const prev = seen[key];
    if (prev === undefined && e.timeMs <= floorMs) continue;
    if (prev !== undefined && totalTokens(e.tokens) <= prev[1] + prev[2] + prev[3] + prev[4]) continue;
    const t = e.tokens;
    // The largest copy wins whole, timestamp included (DESIGN.md rule), whatever order copies arrive in.
    seen[key] = [e.timeMs, t.input_tokens, t.output_tokens, t.cache_creation_input_tokens, t.cache_read_input_tokens];
    changed = true;
  }
  if (!changed) return q;
  const live = buildBlocks(seenEntries(seen), opts.floorToHour ?? true);
  const newest = live.reduce((m, b) => Math.max(m, b.lastMs), -Infinity);
  const nowFinal: StoredBlock[] = [];
  const stillLive: StoredBlock[] = [];
  const finalRanges: [number, number][] = [];
  for (const b of live) {
    if (b.lastMs < newest - LIVE_HORIZON_MS) {
      nowFinal.push(toStored(b, true));
      finalRanges.push([b.firstMs, b.lastMs]);
    } else stillLive.push(toStored(b, false));
  }
  // Drop the entries of the blocks that became final: one pass over `seen` (the blocks are in time order,
  // so the block an entry may fall in is found by binary search), not one pass per block.
  if (finalRanges.length > 0) {
    for (const [k, v] of Object.entries(seen)) if (inRanges(finalRanges, v[0])) delete seen[k];
  }
  const keptFinal = [...final, ...nowFinal].slice(-(opts.maxBlocks ?? 500));
  return { ...q, blocks: [...keptFinal, ...stillLive], seen, updatedAt: new Date(nowMs).toISOString() };
}

/** True when `t` lies in one of `ranges` ([first, last], inclusive, sorted and disjoint). */
function inRanges(ranges: readonly [number, number][], t: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (t < a) hi = mid - 1;
    else if (t > b) lo = mid + 1;
    else return true;
  }
  return false;
}

function seenEntries(seen: Seen): UsageEntry[] {
  return Object.values(seen).map((v) => ({
    key: null,
    sessionId: null,
    timeMs: v[0],
    model: '',
    tokens: { input_tokens: v[1], output_tokens: v[2], cache_creation_input_tokens: v[3], cache_read_input_tokens: v[4] },
  }));
}

function toStored(b: UsageBlock, final: boolean): StoredBlock {
  return {
    start: new Date(b.startMs).toISOString(),
    end: new Date(b.endMs).toISOString(),
    first: new Date(b.firstMs).toISOString(),
    last: new Date(b.lastMs).toISOString(),
    entries: b.entries,
    tokens: b.tokens,
    final,
  };
}

/** Stored block -> block in epoch ms. */
export function fromStored(b: StoredBlock): UsageBlock {
  return {
    startMs: Date.parse(b.start),
    endMs: Date.parse(b.end),
    firstMs: Date.parse(b.first),
    lastMs: Date.parse(b.last),
    entries: b.entries,
    tokens: b.tokens,
  };
}

/** An empty quota tracker. */
export function emptyQuotaTracker(): QuotaTracker {
  return { version: 1, blocks: [], seen: {}, updatedAt: null, readings: [], alerts: [], calibration: [] };
}
