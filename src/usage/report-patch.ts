import { fromTuple, type EntryTuple } from '../claude/transcript-digest.ts';
import { buildBlocks } from './blocks.ts';
import { blockRow, sortedKeys, utcDayNamer, type UsageReport } from './report.ts';
import { MAX_TOKENS, TOKEN_FIELDS, zeroTokens, type TokenCounts } from './tokens.ts';

/**
 * What the transcripts gained since a report, in the terms `patchReport` can add to it. The caller
 * (cli/report.ts) vouches for the dedupe rule (DESIGN.md: per key, the copy with the largest token
 * total, across all files): an `added` keyed entry's key is in no transcript the report read, and a
 * `grown` entry's key is in the one transcript that grew it and in no other.
 */
export interface ReportChanges {
  /** Entries new to the history: keyed ones (a key no transcript held) and keyless ones. */
  added: readonly EntryTuple[];
  /** Keyed entries whose counted copy was replaced by a larger one: [the copy the report counted, the new one]. */
  grown: readonly (readonly [EntryTuple, EntryTuple])[];
  /** Transcripts listed now. */
  files: number;
  /** Lines and malformed lines read since (added to the report's counts). */
  lines: number;
  malformedLines: number;
}

/** A report and its tail (the entries of its last 5-hour block: see `buildReportWithTail`). */
export interface ReportWithTail {
  report: UsageReport;
  tail: EntryTuple[];
}

/**
 * The report `buildReportWithTail` would give for the old entries plus `changes`, computed from the old
 * report and its tail alone (the history before the last 5-hour block is not needed), or null when the
 * changes reach where the tail cannot answer for, and the caller must build the report from every entry:
 * - a timed entry (added, or either copy of a grown one) before the first entry of the last block: it
 *   could split or join earlier blocks;
 * - a grown entry whose copies differ in session, model or UTC day, or whose counted copy is not in the
 *   tail while timed at or after its start (the tail does not match the report);
 * - a sum that reaches MAX_TOKENS (a clamped sum cannot be taken apart again).
 * Equal to the full build in every figure otherwise: sums are exact below MAX_TOKENS and commutative,
 * and a block sequence only changes from the first block an entry's time reaches (every entry after the
 * last block's first entry also passes the test that closed the block before it). Pure; `report` and
 * `tail` are not changed.
 */
export function patchReport(report: UsageReport, tail: readonly EntryTuple[], changes: ReportChanges): ReportWithTail | null {
  const lastBlock = report.blocks.at(-1);
  if ((lastBlock === undefined) !== (tail.length === 0)) return null;
  // A loop, not Math.min(...): a spread of a very long tail would overflow the call's argument limit.
  let firstMs = tail.length === 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const t of tail) if (t[2]! < firstMs) firstMs = t[2]!;
  const reaches = (t: EntryTuple) => t[2] === null || t[2] >= firstMs;
  const dayOf = utcDayNamer();
  const dayKey = (t: EntryTuple) => (t[2] === null ? null : dayOf(t[2]));
  const inTail = new Set(tail.map((t) => t[0]));
  for (const [was, now] of changes.grown) {
    if (was[1] !== now[1] || was[3] !== now[3] || dayKey(was) !== dayKey(now)) return null;
    if (!reaches(was) || !reaches(now) || (was[2] !== null && !inTail.has(was[0]))) return null;
  }
  if (!changes.added.every(reaches)) return null;

  const sums = new Sums(report);
  for (const [was, now] of changes.grown) {
    sums.add(was, -1, dayKey(was));
    sums.add(now, 1, dayKey(now));
  }
  for (const t of changes.added) sums.add(t, 1, dayKey(t));
  if (sums.clamped) return null;

  let blocks = report.blocks;
  let nextTail = tail as EntryTuple[];
  const timed = (t: EntryTuple) => t[2] !== null;
  if (changes.added.some(timed) || changes.grown.some(([, now]) => timed(now))) {
    const replaced = new Map(changes.grown.map(([was, now]) => [was[0], now]));
    const entries = tail.map((t) => replaced.get(t[0]) ?? t);
    for (const t of changes.added) if (timed(t)) entries.push(t);
    const rebuilt = buildBlocks(entries.map(fromTuple));
    const newFirst = rebuilt.at(-1)!.firstMs;
    blocks = [...report.blocks.slice(0, -1), ...rebuilt.map(blockRow)];
    nextTail = entries.filter((t) => t[2]! >= newFirst);
  }
  return {
    report: {
      totals: sums.totals,
      sessions: sortedKeys(sums.sessions),
      blocks,
      models: sortedKeys(sums.models),
      days: sortedKeys(sums.days),
      stats: {
        files: changes.files,
        lines: report.stats.lines + changes.lines,
        malformedLines: report.stats.malformedLines + changes.malformedLines,
        entries: report.stats.entries + changes.added.length,
      },
    },
    tail: nextTail,
  };
}

/** The report's sums, copied on write, with entries added (sign 1) or taken out (sign -1) exactly. */
class Sums {
  totals: TokenCounts;
  sessions: Record<string, TokenCounts>;
  models: Record<string, TokenCounts>;
  days: Record<string, TokenCounts>;
  /** A sum reached MAX_TOKENS (then the full build's clamped figure is not this one's). */
  clamped: boolean;

  constructor(r: UsageReport) {
    this.totals = { ...r.totals };
    this.sessions = { ...r.sessions };
    this.models = { ...r.models };
    this.days = { ...r.days };
    // The totals bound every other sum: below the clamp there, every sum of the report is exact.
    this.clamped = TOKEN_FIELDS.some((f) => r.totals[f] >= MAX_TOKENS);
  }

  add(t: EntryTuple, sign: 1 | -1, day: string | null): void {
    this.totals = this.plus(this.totals, t, sign);
    const s = t[1] ?? '?';
    this.sessions[s] = this.plus(this.sessions[s], t, sign);
    const m = t[3] || '?';
    this.models[m] = this.plus(this.models[m], t, sign);
    if (day !== null) this.days[day] = this.plus(this.days[day], t, sign);
  }

  private plus(acc: TokenCounts | undefined, t: EntryTuple, sign: 1 | -1): TokenCounts {
    const v = [t[4], t[5], t[6], t[7]];
    const out = { ...(acc ?? zeroTokens()) };
    TOKEN_FIELDS.forEach((f, i) => {
      out[f] += sign * v[i]!;
      if (out[f] >= MAX_TOKENS || out[f] < 0) this.clamped = true;
    });
    return out;
  }
}
