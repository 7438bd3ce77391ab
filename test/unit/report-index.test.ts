// The report cache's merge and storage: mergeSources must give mergeDigests' entries (same order, same
// winners) whether parts come from the binary base or in hand; damaged files read as none.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryTuple } from '../../src/claude/transcript-digest.ts';
import { processRuntime } from '../../src/runtime.ts';
import {
  basePart, mergeSources, readBase, readOverlay, readReportIndex, reportCacheFiles, writeReportCache, type PartSource, type Resume, type UsagePart,
} from '../../src/store/report-index.ts';
import { mergeDigests } from '../../src/usage/ledger.ts';
import { buildReport } from '../../src/usage/report.ts';
import { tempHome, type TempHome } from '../helpers/sandbox-env.ts';

let h: TempHome | undefined;
afterEach(() => h?.cleanup());

/** Deterministic parts with shared keys across files (ties and larger copies), keyless entries and odd values. */
function parts(seed: number, files: number): (UsagePart | null)[] {
  let a = seed;
  const rnd = () => ((a = (a * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
  const out: (UsagePart | null)[] = [];
  for (let f = 0; f < files; f++) {
    if (rnd() < 0.1) {
      out.push(null);
      continue;
    }
    const entries: EntryTuple[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < Math.floor(rnd() * 30); i++) {
      const key = `msg_${Math.floor(rnd() * 60)}:req`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push([key, rnd() < 0.1 ? null : `s${Math.floor(rnd() * 4)}`, rnd() < 0.1 ? null : 1_700_000_000_000 + Math.floor(rnd() * 1e8), rnd() < 0.1 ? '' : `m${Math.floor(rnd() * 3)}`,
        Math.floor(rnd() * 5), Math.floor(rnd() * 5), Math.floor(rnd() * 5), Math.floor(rnd() * 5)]);
    }
    const loose: EntryTuple[] = [];
    for (let i = 0; i < Math.floor(rnd() * 3); i++) loose.push([null, 'é s', 1_700_000_000_000 + i, '<synthetic>', 0, i, 0, 0]);
    out.push([Math.floor(rnd() * 1000), Math.floor(rnd() * 3), entries, loose, [f * 100, Buffer.from(`tail ${f}`).toString('base64'), Buffer.from(`head ${f}`).toString('base64')]]);
  }
  return out;
}

describe('report cache', () => {
  it('mergeSources equals mergeDigests, with parts from the base, in hand, or both', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    for (let seed = 1; seed <= 20; seed++) {
      const ps = parts(seed, 25);
      const files = ps.map((_, i) => `/p/f${i}.jsonl`);
      const want = mergeDigests(ps.filter((p): p is UsagePart => p !== null).map((p) => ({ entries: p[2], loose: p[3] })));
      const inHand: PartSource[] = ps.map((p) => (p === null ? null : { part: p }));
      expect(mergeSources(inHand, null)).toEqual(want);
      // Write them all as a base, then read it back and merge from it, alone and mixed with parts in hand.
      writeReportCache(rt, { roots: ['/r'], tail: [], report: buildReport(want, { files: 25, lines: 0, malformedLines: 0 }) }, files, files.map(() => [1, 2, 3]), inHand, null);
      const index = readReportIndex(rt)!;
      const base = readBase(rt, index.baseGen)!;
      expect(base).not.toBeNull();
      const fromBase: PartSource[] = index.files.map((f) => (f[4] < 0 ? null : { slot: f[4] }));
      expect(mergeSources(fromBase, base)).toEqual(want);
      // Each part comes back whole, with where its file's read stopped.
      index.files.forEach((f, i) => expect(f[4] < 0 ? null : basePart(base, f[4])).toEqual(ps[i]));
      const mixed: PartSource[] = fromBase.map((s, i) => (i % 3 === 0 ? inHand[i]! : s));
      expect(mergeSources(mixed, base)).toEqual(want);
    }
  });

  it('keeps a small change in the overlay and rewrites the base when the change is large', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    // Enough entries that all of them overflow an overlay (overlayFits: more than 5,000).
    const ps = parts(7, 2_000);
    const files = ps.map((_, i) => `/p/f${i}.jsonl`);
    const report = buildReport([], { files: 0, lines: 0, malformedLines: 0 });
    const common = { roots: ['/r'], report, tail: [] };
    writeReportCache(rt, common, files, files.map(() => [1, 2, 3]), ps.map((p) => (p === null ? null : { part: p })), null);
    const i1 = readReportIndex(rt)!;
    const base = readBase(rt, i1.baseGen)!;
    const small: PartSource[] = i1.files.map((f, i) => (i === 5 ? { part: [1, 0, [['new', 's', 1, 'm', 1, 1, 1, 1]], [], [9, '', ''] as Resume] } : f[4] < 0 ? null : { slot: f[4] }));
    writeReportCache(rt, common, files, files.map(() => [1, 2, 3]), small, base);
    const i2 = readReportIndex(rt)!;
    expect(i2.baseGen).toBe(i1.baseGen);
    expect(i2.files[5]![4]).toBe(-1);
    expect(readOverlay(rt, i2.gen)!.get(files[5]!)![2][0]![0]).toBe('new');
    const all: PartSource[] = ps.map((p) => (p === null ? null : { part: p }));
    writeReportCache(rt, common, files, files.map(() => [1, 2, 3]), all, readBase(rt, i2.baseGen));
    expect(readReportIndex(rt)!.baseGen).not.toBe(i1.baseGen);
  });

  it('reads a damaged or mismatched file as none', () => {
    h = tempHome();
    const rt = processRuntime(h.env());
    const ps = parts(3, 5);
    const files = ps.map((_, i) => `/p/f${i}.jsonl`);
    writeReportCache(rt, { roots: [], tail: [], report: buildReport([], { files: 0, lines: 0, malformedLines: 0 }) }, files, files.map(() => null), ps.map((p) => (p === null ? null : { part: p })), null);
    const f = reportCacheFiles(rt);
    const index = readReportIndex(rt)!;
    expect(readBase(rt, 'another')).toBeNull();
    expect(readOverlay(rt, 'another')).toBeNull();
    const b = readFileSync(f.base);
    b[b.length - 3] = b[b.length - 3]! ^ 0xff;
    writeFileSync(f.base, b);
    expect(readBase(rt, index.baseGen)).toBeNull();
    writeFileSync(f.index, readFileSync(f.index, 'utf8').replace('"roots"', '"rootz"'));
    expect(readReportIndex(rt)).toBeNull();
  });
});
