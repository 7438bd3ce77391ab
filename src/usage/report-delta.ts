import { HOUR_MS, WINDOW_MS } from './blocks.ts';
import { lowerBound } from './lower-bound.ts';
import { isoSeconds, utcDayNamer, type UsageReport } from './report.ts';
import type { ReportPatch } from './report-patch.ts';
import { addCapped, zeroTokens, type TokenCounts } from './tokens.ts';
import type { UsageEntry } from './usage-record.ts';

/**
 * What changed in the account's deduplicated entries since a report was built: copies that stopped
 * counting (`removed`: a response whose larger copy was appended) and entries that now count (`added`:
 * the larger copies, new responses, new keyless entries), plus the files' line counts.
 */
export interface UsageDelta {
  removed: UsageEntry[];
  added: UsageEntry[];
  files: number;
  lines: number;
  malformedLines: number;
}

/**
 * What updates a report (see `buildReportWithTail`) in place of a rebuild: the patch (report-patch.ts)
 * that makes it the report of the old entries minus `removed` plus `added`, exactly as `buildReport`
 * would give it, at a cost in proportion to the delta and the last 5-hour block (not to the report).
 * Only for changes a live session makes, where that can be told without the other entries; for
 * anything else it returns null and the caller rebuilds:
 * - each removed copy is replaced by an added copy of the same session, model and UTC day, and lay in
 *   the last block (its time is in `tail`);
 * - every added entry with a time is at or after the last block's first entry.
 * Pure; neither argument is changed.
 *
 * @param tail times (epoch ms, ascending) of the last block's entries, as returned with the report
 * @returns the patch and the new tail, or null (rebuild)
 */
export function applyUsageDelta(report: UsageReport, tail: readonly number[], delta: UsageDelta): { patch: ReportPatch; tail: number[] } | null {
  const { removed, added } = delta;
  const dayOf = utcDayNamer();
  const keyOf = (e: UsageEntry) => `${e.sessionId ?? '?'}\0${e.model || '?'}\0${e.timeMs === null ? '' : dayOf(e.timeMs)}`;
  // Removed copies must come back as added ones in the same session, model and day: those objects keep their keys.
  const slots = new Map<string, number>();
  for (const e of added) {
    const k = keyOf(e);
    slots.set(k, (slots.get(k) ?? 0) + 1);
  }
  for (const e of removed) {
    const n = slots.get(keyOf(e)) ?? 0;
    if (n === 0) return null;
    slots.set(keyOf(e), n - 1);
  }
  // Blocks: the last one is rebuilt from its entries' times without the removed copies, with the added entries.
  const first = tail.length > 0 ? tail[0]! : -Infinity;
  const times = [...tail];
  for (const e of removed) {
    if (e.timeMs === null) continue;
    const at = indexOfSorted(times, e.timeMs);
    if (at < 0) return null; // not in the last block
    times.splice(at, 1);
  }
  const timed = added.filter((e): e is UsageEntry & { timeMs: number } => e.timeMs !== null);
  if (timed.some((e) => e.timeMs < first)) return null;
  const blocksFrom = tail.length > 0 ? report.blocks.length - 1 : report.blocks.length;
  const last = tail.length > 0 ? report.blocks[blocksFrom] : undefined;
  if (last === undefined && tail.length > 0) return null;
  if (times.length + timed.length === 0 && last !== undefined) return null; // the last block would go: the one before it is not known here
  timed.sort((a, b) => a.timeMs - b.timeMs);
  const rebuilt: (UsageReport['blocks'][number] & { startMs: number; lastMs: number })[] = [];
  let newTail: number[] = [];
  const step = (t: number, e: UsageEntry | null) => {
    let cur = rebuilt.at(-1);
    if (cur === undefined || t - cur.startMs > WINDOW_MS || t - cur.lastMs > WINDOW_MS) {
      // The first rebuilt block carries the old last block's entries and tokens (less the removed copies).
      const startMs = Math.floor(t / HOUR_MS) * HOUR_MS;
      cur = rebuilt.length === 0 && last !== undefined
        ? { ...last, start: isoSeconds(startMs), entries: last.entries - removed.filter((r) => r.timeMs !== null).length, startMs, lastMs: t }
        : { start: isoSeconds(startMs), entries: 0, ...zeroTokens(), startMs, lastMs: t };
      if (rebuilt.length === 0 && last !== undefined) for (const r of removed) if (r.timeMs !== null) sub(cur, r.tokens);
      rebuilt.push(cur);
      newTail = [];
    }
    cur.lastMs = t;
    newTail.push(t);
    if (e !== null) {
      cur.entries++;
      add(cur, e.tokens);
    }
  };
  // The block's kept times and the added entries, merged in time order (both sorted).
  for (let i = 0, j = 0; i < times.length || j < timed.length;) {
    if (j >= timed.length || (i < times.length && times[i]! <= timed[j]!.timeMs)) step(times[i++]!, null);
    else step(timed[j]!.timeMs, timed[j++]!);
  }
  const blocks = rebuilt.map(({ startMs: _s, lastMs: _l, ...b }) => b);

  const totals = { ...report.totals };
  const sessions: Record<string, TokenCounts> = {};
  const models: Record<string, TokenCounts> = {};
  const days: Record<string, TokenCounts> = {};
  // The row `key` of the patch: a copy of the report's (whose objects are not changed) on first touch.
  const at = (patch: Record<string, TokenCounts>, rec: Record<string, TokenCounts>, key: string) => (patch[key] ??= { ...(rec[key] ?? zeroTokens()) });
  const apply = (e: UsageEntry, f: (acc: TokenCounts, t: TokenCounts) => void) => {
    f(totals, e.tokens);
    f(at(sessions, report.sessions, e.sessionId ?? '?'), e.tokens);
    f(at(models, report.models, e.model || '?'), e.tokens);
    if (e.timeMs !== null) f(at(days, report.days, dayOf(e.timeMs)), e.tokens);
  };
  for (const e of removed) apply(e, sub);
  for (const e of added) apply(e, add);
  const s = report.stats;
  return {
    patch: {
      totals, sessions, models, days, blocksFrom, blocks,
      stats: { files: s.files + delta.files, lines: s.lines + delta.lines, malformedLines: s.malformedLines + delta.malformedLines, entries: s.entries + added.length - removed.length },
    },
    tail: newTail,
  };
}

// Clamped to [0, MAX_TOKENS] like every token sum (tokens.ts addCapped). Below the ceiling this is exact
// arithmetic, so the report updated in place equals the one built from scratch; a sum that reached the
// ceiling stays a lower bound ("at least") after a removal.
function add(acc: TokenCounts, t: TokenCounts): void {
  acc.input_tokens = addCapped(acc.input_tokens, t.input_tokens);
  acc.output_tokens = addCapped(acc.output_tokens, t.output_tokens);
  acc.cache_creation_input_tokens = addCapped(acc.cache_creation_input_tokens, t.cache_creation_input_tokens);
  acc.cache_read_input_tokens = addCapped(acc.cache_read_input_tokens, t.cache_read_input_tokens);
}

function sub(acc: TokenCounts, t: TokenCounts): void {
  acc.input_tokens = addCapped(acc.input_tokens, -t.input_tokens);
  acc.output_tokens = addCapped(acc.output_tokens, -t.output_tokens);
  acc.cache_creation_input_tokens = addCapped(acc.cache_creation_input_tokens, -t.cache_creation_input_tokens);
  acc.cache_read_input_tokens = addCapped(acc.cache_read_input_tokens, -t.cache_read_input_tokens);
}

/** The index of `t` in ascending `a`, or -1. */
function indexOfSorted(a: readonly number[], t: number): number {
  const at = lowerBound(a, t);
  return at < a.length && a[at] === t ? at : -1;
}
