// applyUsageDelta: a report updated in place must be the report built from scratch, key order included,
// for every change a live session makes; anything else is refused (null), never guessed.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/mulberry32.mjs';
import { applyUsageDelta } from '../../src/usage/report-delta.ts';
import { mergePatches, patchReport, type ReportPatch } from '../../src/usage/report-patch.ts';
import { buildReportWithTail, type UsageReport } from '../../src/usage/report.ts';
import type { UsageEntry } from '../../src/usage/usage-record.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 9, 1, 6, 17, 0);
const stats = (lines: number) => ({ files: 3, lines, malformedLines: 1 });

function entry(rnd: () => number, timeMs: number | null, n: number): UsageEntry {
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return {
    key: `msg_${n}:req`, sessionId: pick(['s1', 's2', 'zz', null]), timeMs, model: pick(['claude-a', 'claude-b', '']),
    tokens: { input_tokens: Math.floor(rnd() * 50), output_tokens: Math.floor(rnd() * 500), cache_creation_input_tokens: Math.floor(rnd() * 900), cache_read_input_tokens: Math.floor(rnd() * 9000) },
  };
}

/** A history over a few days: clusters of work with gaps of more than 5 h between some. */
function history(rnd: () => number, n: number): UsageEntry[] {
  const out: UsageEntry[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += rnd() < 0.1 ? 6 * H + Math.floor(rnd() * 20 * H) : Math.floor(rnd() * 40 * 60_000);
    out.push(entry(rnd, rnd() < 0.05 ? null : t, i));
  }
  return out;
}

/** `report` (not changed) with `patches` applied in turn. */
function patched(report: UsageReport, ...patches: ReportPatch[]): UsageReport {
  const out = structuredClone(report);
  for (const p of patches) patchReport(out, p);
  return out;
}

/** New responses of session `sid` from `t` on, some far later (new blocks), some in new sessions. */
function appended(rnd: () => number, t: number, n: number, from: number): UsageEntry[] {
  const out: UsageEntry[] = [];
  for (let k = 0; k < n; k++) {
    t += rnd() < 0.3 ? 5 * H + Math.floor(rnd() * 10 * H) : Math.floor(rnd() * 30 * 60_000);
    out.push({ ...entry(rnd, rnd() < 0.1 ? null : t, from + k), sessionId: rnd() < 0.2 ? `new${from + k}` : 's1' });
  }
  return out;
}

describe('applyUsageDelta', () => {
  it('gives buildReport\'s report for what a live session appends: later responses, larger copies, gaps that open blocks', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = mulberry32(seed);
      const old = history(rnd, 5 + Math.floor(rnd() * 60));
      const built = buildReportWithTail(old, stats(100));
      const lastT = built.tail.at(-1) ?? T0;
      // Larger copies of some responses of the last block, in place, with the same session, model and day.
      const next = old.slice();
      const removed: UsageEntry[] = [];
      const added: UsageEntry[] = [];
      next.forEach((e, i) => {
        if (e.timeMs === null || !built.tail.includes(e.timeMs) || rnd() < 0.6) return;
        const later = Math.min(e.timeMs + Math.floor(rnd() * 2_000), Date.UTC(new Date(e.timeMs).getUTCFullYear(), new Date(e.timeMs).getUTCMonth(), new Date(e.timeMs).getUTCDate(), 23, 59, 59));
        const bigger = { ...e, timeMs: later, tokens: { ...e.tokens, output_tokens: e.tokens.output_tokens + 1 + Math.floor(rnd() * 99) } };
        removed.push(e);
        added.push(bigger);
        next[i] = bigger;
      });
      // New responses from the last block's first entry on; some far later (new blocks), some without a time.
      let t = built.tail[0] ?? lastT;
      for (let k = 0; k < Math.floor(rnd() * 8); k++) {
        t += rnd() < 0.3 ? 5 * H + Math.floor(rnd() * 10 * H) : Math.floor(rnd() * 30 * 60_000);
        const e = entry(rnd, rnd() < 0.1 ? null : t, 10_000 + k);
        added.push(e);
        next.push(e);
      }
      const got = applyUsageDelta(built.report, built.tail, { removed, added, files: 1, lines: 7, malformedLines: 0 });
      const want = buildReportWithTail(next, { files: 4, lines: 107, malformedLines: 1 });
      expect(got, `seed ${seed}`).not.toBeNull();
      expect(JSON.stringify(patched(built.report, got!.patch)), `seed ${seed}`).toBe(JSON.stringify(want.report));
      // The patch holds the rows the delta touched, not the report's others.
      const touched = new Set([...removed, ...added].map((e) => e.sessionId ?? '?'));
      expect(Object.keys(got!.patch.sessions).sort(), `seed ${seed}`).toEqual([...touched].sort());
      expect(got!.tail, `seed ${seed}`).toEqual(want.tail);
    }
  });

  it('refuses what it cannot tell without the other entries', () => {
    const rnd = mulberry32(9);
    const old = history(rnd, 40).filter((e) => e.timeMs !== null);
    const built = buildReportWithTail(old, stats(1));
    const first = built.tail[0]!;
    const before = old.find((e) => e.timeMs! < first)!;
    const inTail = old.find((e) => e.timeMs === built.tail.at(-1))!;
    const delta = (removed: UsageEntry[], added: UsageEntry[]) => applyUsageDelta(built.report, built.tail, { removed, added, files: 0, lines: 0, malformedLines: 0 });
    // An entry dated before the last block, a copy removed from an earlier block, a copy of another session.
    expect(delta([], [{ ...before, key: 'late' }])).toBeNull();
    expect(delta([before], [{ ...before, tokens: { ...before.tokens, output_tokens: before.tokens.output_tokens + 1 } }])).toBeNull();
    expect(delta([inTail], [{ ...inTail, sessionId: 'other', tokens: { ...inTail.tokens, output_tokens: 1e6 } }])).toBeNull();
    // The same change of session kept: accepted.
    expect(delta([inTail], [{ ...inTail, tokens: { ...inTail.tokens, output_tokens: 1e6 } }])).not.toBeNull();
  });

  it('the patches of updates in turn merge into one that gives the same report (mergePatches)', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rnd = mulberry32(seed);
      let entries = history(rnd, 5 + Math.floor(rnd() * 40));
      let built = buildReportWithTail(entries, stats(100));
      const start = built.report;
      let merged: ReportPatch | null = null;
      const steps: ReportPatch[] = [];
      for (let u = 0; u < 4; u++) {
        const added = appended(rnd, built.tail.at(-1) ?? T0, Math.floor(rnd() * 6), 1_000 * (u + 1));
        const got = applyUsageDelta(patched(start, ...steps), built.tail, { removed: [], added, files: 0, lines: 0, malformedLines: 0 });
        expect(got, `seed ${seed}`).not.toBeNull();
        steps.push(got!.patch);
        merged = mergePatches(merged, got!.patch);
        entries = [...entries, ...added];
        built = buildReportWithTail(entries, stats(100));
        expect(got!.tail, `seed ${seed}`).toEqual(built.tail);
      }
      expect(JSON.stringify(patched(start, merged!)), `seed ${seed}`).toBe(JSON.stringify(built.report));
      expect(JSON.stringify(patched(start, ...steps)), `seed ${seed}`).toBe(JSON.stringify(built.report));
    }
  });

  it('patchReport refuses a patch of another report (blocks past its end)', () => {
    const built = buildReportWithTail(history(mulberry32(4), 10), stats(1));
    const got = applyUsageDelta(built.report, built.tail, { removed: [], added: [], files: 0, lines: 0, malformedLines: 0 })!;
    expect(() => patched(built.report, { ...got.patch, blocksFrom: built.report.blocks.length + 1 })).toThrow(RangeError);
  });
});
